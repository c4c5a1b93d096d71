package dev.warpjourney.bench;

/**
 * One run of the latency pass: the server without its quota, wrk pacing every connection so
 * that each server is offered the same requests per second ({@code offered}).
 */
record LatencyRun(String scenario, String server, int round, double offered, WrkResult wrk, double utilization) {}
