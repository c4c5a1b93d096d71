# Sourced by .ci/run and ./journey: exports JAVA_HOME pointing at a JDK 25 or newer.
# Keeps JAVA_HOME when it already is one; otherwise looks in /usr/lib/jvm, the usual place on Debian.
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'
}

if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || ! [ "$(java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME="$candidate"
      break
    fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "no JDK 25 or newer found: install one and set JAVA_HOME to it" >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
