# Sourced by the project's scripts: selects a JDK 21 or newer when the default java is older.
myelin_java_major() {
  "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}'
}
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(myelin_java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then
  :
elif command -v java >/dev/null 2>&1 && [ "$(myelin_java_major java)" -ge 21 ] 2>/dev/null; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
else
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(myelin_java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(myelin_java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
  echo "Myelin needs a JDK 21 or newer; none was found (set JAVA_HOME)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe; the warning is harmless noise.
export MAVEN_OPTS="${MAVEN_OPTS:-} --enable-native-access=ALL-UNNAMED -Dsun.misc.unsafe.memory.access=allow"
