#!/usr/bin/env bash
# Installs what tlsprobe's tests and demo need, on Debian 12 (bookworm). Idempotent: it only
# installs what is missing, runs `apt-get update` at most once, and adds each /etc/hosts line
# only if it is not there yet.
#
#   - Debian packages: openssl, gnutls-bin (gnutls-serv), nginx-light, socat, time, tinyproxy (a real HTTP CONNECT proxy),
#     prometheus (+ promtool) and prometheus-blackbox-exporter for the serve tests and benchmark, wrk,
#     microsocks and dante-server (real SOCKS5 servers: RFC 1929 auth; a ruleset that refuses);
#     chromium, groff-base, man-db, zsh, fish, bsdutils for the report tests
#   - python3 + tlslite-ng (pinned) for the SSL 3.0 test server; mitmproxy (pinned), a real
#     TLS-intercepting proxy
#   - cargo-nextest if present (preinstalled on the project's machines; scripts/test.sh falls
#     back to `cargo test` without it)
#   - /etc/hosts names for the DNS tests: dual.tlsprobe.test -> 127.0.0.1 and ::1,
#     v6only.tlsprobe.test -> ::1 (the robustness tests fail, not skip, when they are missing)
#   - IPv6 on the loopback interface ([::1])
set -euo pipefail

APT_PACKAGES=(openssl gnutls-bin nginx-light socat time python3 tinyproxy prometheus prometheus-blackbox-exporter wrk microsocks dante-server)
# The report tests: headless Chromium renders the HTML report, groff renders the man page,
# bash/zsh/fish check the completion scripts, `script` (bsdutils) gives a pseudo-terminal.
APT_PACKAGES+=(chromium groff-base man-db zsh fish bsdutils)
TLSLITE_VERSION="0.8.2"
HOSTS_LINES=(
  "127.0.0.1 dual.tlsprobe.test"
  "::1 dual.tlsprobe.test"
  "::1 v6only.tlsprobe.test"
)

log() { printf 'install-deps: %s\n' "$*" >&2; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else SUDO=(false); fi
fi

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]}"
  # Keep package installs from starting services (nginx would bind port 80).
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null 2>&1 \
      && "${SUDO[@]}" chmod +x "$policy" && made_policy=1 || true
  fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  if [ "$made_policy" = 1 ]; then "${SUDO[@]}" rm -f "$policy"; fi
else
  log "Debian packages present"
fi

# --- tlslite-ng for the SSL 3.0 server ---------------------------------------------------------
have_tlslite() {
  python3 - "$TLSLITE_VERSION" <<'PY' 2>/dev/null
import sys, tlslite
sys.exit(0 if tlslite.__version__ == sys.argv[1] else 1)
PY
}
if have_tlslite; then
  log "tlslite-ng $TLSLITE_VERSION present"
else
  if ! python3 -m pip --version >/dev/null 2>&1; then
    log "installing python3-pip"
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
      python3-pip >/dev/null
  fi
  log "installing tlslite-ng==$TLSLITE_VERSION"
  pip_args=(install --quiet --disable-pip-version-check --root-user-action=ignore
            "tlslite-ng==$TLSLITE_VERSION")
  # Debian's own python3 refuses plain pip installs (PEP 668); other pythons accept them.
  python3 -m pip "${pip_args[@]}" 2>/dev/null \
    || python3 -m pip "${pip_args[@]}" --break-system-packages
  have_tlslite || { log "tlslite-ng did not install"; exit 1; }
fi

# --- jsonschema, to validate the JSON output against schema/tlsprobe-v1.json ----------------
if python3 -c 'import jsonschema' 2>/dev/null; then
  log "python jsonschema present"
else
  log "installing python jsonschema"
  js_args=(install --quiet --disable-pip-version-check --root-user-action=ignore "jsonschema>=4.17,<5")
  python3 -m pip "${js_args[@]}" 2>/dev/null || python3 -m pip "${js_args[@]}" --break-system-packages
  python3 -c 'import jsonschema' || { log "jsonschema did not install"; exit 1; }
fi

# --- mitmproxy, a real TLS-intercepting proxy for the azure-backup interception tests ----------
MITMPROXY_VERSION="11.0.2"
if command -v mitmdump >/dev/null 2>&1 && mitmdump --version 2>/dev/null | grep -q "Mitmproxy: $MITMPROXY_VERSION"; then
  log "mitmproxy $MITMPROXY_VERSION present"
else
  log "installing mitmproxy==$MITMPROXY_VERSION"
  mp_args=(install --quiet --disable-pip-version-check --root-user-action=ignore "mitmproxy==$MITMPROXY_VERSION")
  python3 -m pip "${mp_args[@]}" 2>/dev/null || python3 -m pip "${mp_args[@]}" --break-system-packages
  # pyenv installs console scripts behind shims that need a rehash.
  if command -v pyenv >/dev/null 2>&1; then pyenv rehash || true; fi
  command -v mitmdump >/dev/null 2>&1 || { log "mitmdump did not install"; exit 1; }
fi

# --- cargo-nextest ------------------------------------------------------------------------------
if cargo nextest --version >/dev/null 2>&1; then
  log "cargo-nextest present"
else
  log "cargo-nextest not found: scripts/test.sh will use cargo test"
fi

# --- /etc/hosts test names ----------------------------------------------------------------------
hosts=/etc/hosts
for line in "${HOSTS_LINES[@]}"; do
  ip=${line%% *}
  name=${line#* }
  if awk -v ip="$ip" -v name="$name" '
      $1 == ip { for (i = 2; i <= NF; i++) if ($i == name) found = 1 }
      END { exit found ? 0 : 1 }' "$hosts"; then
    continue
  fi
  # Append (not sed -i): /etc/hosts is often a bind mount that cannot be replaced.
  if printf '%s\t%s\t# tlsprobe tests\n' "$ip" "$name" | "${SUDO[@]}" tee -a "$hosts" >/dev/null 2>&1; then
    log "added '$ip $name' to $hosts"
  else
    log "cannot write $hosts; DNS tests will be skipped"
  fi
done

# --- IPv6 loopback (the robustness tests serve one name's IPv4 and IPv6 addresses apart) -------
# 127.0.0.2 and the rest of 127.0.0.0/8 are on lo on every Linux; [::1] can be switched off.
if ! ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
  log "enabling IPv6 on lo"
  "${SUDO[@]}" sysctl -q -w net.ipv6.conf.lo.disable_ipv6=0 2>/dev/null || true
  "${SUDO[@]}" ip -6 addr add ::1/128 dev lo 2>/dev/null || true
  if ! ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/128'; then
    log "cannot enable [::1] on lo; the IPv6 tests will fail"
  fi
else
  log "IPv6 loopback present"
fi

log "done"
