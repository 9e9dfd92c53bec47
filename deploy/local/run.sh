#!/usr/bin/env bash
# The local stack in one command: builds what is missing, starts PostgreSQL, Keycloak and Kafka (real servers),
# then task-service, review-service, notification-service and the front door (web) as separate processes.
# Usage: deploy/local/run.sh [--data DIR] [--rebuild] [--empty]   (default data directory: ./.local-data)
# The first start of a data directory loads an illustrative 12-week campaign history (marked 示例); --empty starts without it.
# Needs a JDK 17+ (and a JDK 21+ beside it for Keycloak), node and npm: the Maven wrapper fetches Maven, Maven the rest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

args=()
rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --data) args+=("--data" "$2"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done

launcher="deploy/local/target/local-stack-1.0.0-SNAPSHOT.jar"
missing=0
for f in "$launcher" task-service/target/quarkus-app/quarkus-run.jar review-service/target/quarkus-app/quarkus-run.jar \
         notification-service/target/quarkus-app/quarkus-run.jar web/target/quarkus-app/quarkus-run.jar \
         task-service/target/keycloak/fivestar-realm.json deploy/local/target/keycloak/keycloak-quarkus-dist.zip; do
  [ -f "$f" ] || missing=1
done
if [ "$missing" = 1 ] || [ "$rebuild" = 1 ]; then
  echo "building the services (first run only; ./mvnw -B package -DskipTests) …"
  ./mvnw -B -q package -DskipTests
fi

exec java -jar "$launcher" --root "$root" "${args[@]}"
