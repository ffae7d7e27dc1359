# Sourced by the ops scripts: finds JDK 25 and Maven, and sets common options.
# JDK: $JAVA_HOME when it is a JDK 25 or newer, otherwise the Temurin 25 directory, otherwise any JDK 25 under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    local major; major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(find_jdk); then
  echo "Refinery needs JDK 25: set JAVA_HOME to a JDK 25 (e.g. Temurin 25)." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || { echo "Refinery needs Apache Maven (mvn) on the PATH." >&2; exit 1; }
command -v npm >/dev/null || { echo "Refinery needs npm to fetch the embedded ClickHouse engine (chDB) once." >&2; exit 1; }
REFINERY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REFINERY_ROOT
MVN=(mvn -B --no-transfer-progress)

# The dependency class path of module $1 (further Maven arguments after it), read through a file: on stdout
# Maven's colour codes would corrupt the first entry.
maven_classpath() {
  local module="$1"; shift
  local file; file=$(mktemp)
  "${MVN[@]}" -q -pl "$module" dependency:build-classpath -Dmdep.outputFile="$file" "$@" >/dev/null
  cat "$file"
  rm -f "$file"
}
