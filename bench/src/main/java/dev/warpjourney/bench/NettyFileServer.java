package dev.warpjourney.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.File;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A static file server written the way Netty users write one (after Netty's own
 * HttpStaticFileServer example): the native epoll transport, HttpServerCodec and an aggregator,
 * the file opened per request and sent with a DefaultFileRegion (sendfile), keep-alive honoured.
 * One event loop thread, so that it competes on one core like the stages.
 *
 * <p>{@code java NettyFileServer PORT ROOT}
 */
public final class NettyFileServer {
    private NettyFileServer() {}

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]).toAbsolutePath().normalize();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(65536),
                                            new FileHandler(root));
                        }
                    });
            ChannelFuture f = b.bind("127.0.0.1", port).sync();
            System.out.println("netty listening on http://127.0.0.1:" + port + "/ serving " + root);
            f.channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    private static final class FileHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Path root;

        FileHandler(Path root) {
            this.root = root;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
            if (!request.decoderResult().isSuccess()) {
                sendError(ctx, HttpResponseStatus.BAD_REQUEST, false);
                return;
            }
            if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, HttpUtil.isKeepAlive(request));
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            File file = resolve(request.uri());
            if (file == null || !file.isFile()) {
                sendError(ctx, HttpResponseStatus.NOT_FOUND, keepAlive);
                return;
            }
            RandomAccessFile raf = new RandomAccessFile(file, "r");
            long length = raf.length();
            HttpResponse response = new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
            HttpUtil.setContentLength(response, length);
            response.headers()
                    .set(
                            HttpHeaderNames.CONTENT_TYPE,
                            file.getName().endsWith(".html") ? "text/html" : "application/octet-stream");
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(response);
            if (HttpMethod.HEAD.equals(request.method())) {
                raf.close();
            } else {
                ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.newProgressivePromise());
            }
            ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!keepAlive) {
                last.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** The path part, decoded, refused if it could leave the root. */
        private File resolve(String uri) {
            int q = uri.indexOf('?');
            String path = URLDecoder.decode(q < 0 ? uri : uri.substring(0, q), StandardCharsets.UTF_8);
            if (!path.startsWith("/") || path.contains("..") || path.contains("\0")) {
                return null;
            }
            Path p = root.resolve(path.substring(1)).normalize();
            if (!p.startsWith(root)) {
                return null;
            }
            File f = p.toFile();
            if (f.isDirectory()) {
                f = new File(f, "index.html");
            }
            return f;
        }

        private static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive) {
            byte[] body = (status + "\n").getBytes(StandardCharsets.US_ASCII);
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(
                    io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                    status,
                    ctx.alloc().buffer(body.length).writeBytes(body));
            HttpUtil.setContentLength(r, body.length);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            ChannelFuture f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
