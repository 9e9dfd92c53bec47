#!/usr/bin/env bash
# The machine tools the tests use besides the JDK: the first step of `./mvnw verify` (root pom, validate phase).
# As root it installs what is missing from Debian's packages; otherwise it fails naming the one command to run.
#   chromium, chromium-driver  the browser tests (headless Chromium driven over WebDriver)
#   docker-compose             the compose file check (`docker-compose config`, no engine needed)
#   fonts-wqy-zenhei           a CJK font, so the pages' screenshots show Chinese, not boxes
#   iproute2                   ss: the front door test counts the connections to a service
#   kubectl                    the Kustomize rendering check (not a Debian package: install it from your
#                              cluster vendor; it is only checked here)
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  missing+=(fonts-wqy-zenhei)
fi

if ((${#missing[@]})); then
  line="apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test tools: installing ${missing[*]} (Debian packages) …"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      echo "test tools: could not install ${missing[*]}; run: $line" >&2
      exit 1
    fi
  else
    echo "test tools missing: ${missing[*]}; run: sudo $line" >&2
    exit 1
  fi
fi

if ! command -v kubectl >/dev/null 2>&1; then
  echo "test tools missing: kubectl (for the Kustomize check); install it from https://kubernetes.io/docs/tasks/tools/" >&2
  exit 1
fi
echo "test tools: $(chromium --version 2>/dev/null | head -1), $(chromedriver --version 2>/dev/null | cut -d' ' -f1-2), $(docker-compose --version 2>/dev/null | head -1), kubectl $(kubectl version --client 2>/dev/null | head -1 | sed 's/.*: //')"
