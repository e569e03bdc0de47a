#!/usr/bin/env bash
# Everything a fresh machine needs besides the database (scripts/db.sh start does that):
# checks the .NET SDK, installs the web console's npm packages (its font and calendar, served by the registry itself),
# restores NuGet packages and, with --tests, installs Chromium and the OpenAPI client test's npm packages. Idempotent.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_TAG=setup

REQUIRED_DOTNET_MAJOR=10

if ! command -v dotnet >/dev/null 2>&1; then
    die "the .NET SDK is not installed (dotnet is not on PATH).
    Install .NET SDK $REQUIRED_DOTNET_MAJOR: https://learn.microsoft.com/dotnet/core/install/linux-debian
    (or the dotnet-install.sh script), then make sure 'dotnet' is on PATH."
fi

# Run from ROOT so global.json (if any) decides which SDK answers.
cd "$ROOT"
if ! sdk_version="$(dotnet --version 2>&1)"; then
    printf '%s\n' "$sdk_version" >&2
    die "dotnet cannot select an SDK (see above; global.json may ask for one that is not installed).
    Installed SDKs: $(dotnet --list-sdks 2>/dev/null | tr '\n' ' ')"
fi
sdk_major="${sdk_version%%.*}"
if ! [[ "$sdk_major" =~ ^[0-9]+$ ]] || (( sdk_major < REQUIRED_DOTNET_MAJOR )); then
    die ".NET SDK $REQUIRED_DOTNET_MAJOR or newer is required; found $sdk_version ($(command -v dotnet))"
fi
log ".NET SDK $sdk_version"

mkdir -p "$DATA_DIR"

# ICU (Unicode normalisation of Persian names), curl + jq for the README's walk-through.
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils) # the PDF documents' tests read their text and pages back
ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' || missing+=(libicu72)
# Node.js and npm install the console's npm packages (Debian's, unless a Node.js is already on PATH).
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if (( ${#missing[@]} > 0 )); then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages exactly as a package-lock.json pins them. `npm ci` runs only when node_modules is missing or was installed
# from another lock file, so an installed copy needs no network.
npm_ci() {
    local dir="$1" lock_hash stamp
    command -v npm >/dev/null 2>&1 || die "npm is not on PATH (it comes with Node.js; Debian: apt-get install nodejs npm)"
    lock_hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    stamp="$dir/node_modules/.installed-from-lock"
    if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_hash" ]]; then
        log "installing the npm packages of ${dir#"$ROOT"/} (npm ci)"
        (cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) \
            || die "npm ci failed in $dir (see above)"
        printf '%s\n' "$lock_hash" >"$stamp"
    fi
}

# The console's font (Vazirmatn, OFL), Solar Hijri calendar (jalaali-js, MIT) and QR code reader (jsQR, Apache-2.0) come
# from npm and are served from wwwroot/lib: no CDN. Only the files the pages load are copied, with their licences.
web="$ROOT/src/VitalEvents.Web"
npm_ci "$web"
lib="$web/wwwroot/lib"
mkdir -p "$lib/vazirmatn" "$lib/jalaali-js" "$lib/jsqr"
install -m 644 "$web/node_modules/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2" "$lib/vazirmatn/Vazirmatn-wght.woff2"
install -m 644 "$web/node_modules/vazirmatn/OFL.txt" "$lib/vazirmatn/OFL.txt"
install -m 644 "$web/node_modules/jalaali-js/dist/index.js" "$lib/jalaali-js/jalaali.js"
install -m 644 "$web/node_modules/jalaali-js/LICENSE" "$lib/jalaali-js/LICENSE.txt"
install -m 644 "$web/node_modules/jsqr/dist/jsQR.js" "$lib/jsqr/jsQR.js"
install -m 644 "$web/node_modules/jsqr/LICENSE" "$lib/jsqr/LICENSE.txt"

if [[ "${1:-}" == --tests ]]; then
    # The console's browser tests drive Debian's Chromium (Playwright's own browser downloads are not used).
    if ! command -v chromium >/dev/null 2>&1; then
        log "installing chromium (the console's browser tests)"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    fi
    # The OpenAPI client test (tests/openapi-client).
    client="$ROOT/tests/openapi-client"
    node_version="$(node --version 2>/dev/null || true)"
    [[ "$node_version" =~ ^v([0-9]+)\.([0-9]+) ]] && (( BASH_REMATCH[1] > 20 || (BASH_REMATCH[1] == 20 && BASH_REMATCH[2] >= 19) )) \
        || die "Node.js 20.19 or newer is required for tests/openapi-client; found ${node_version:-none} (node on PATH)"
    npm_ci "$client"
fi

if [[ -f "$SLN" ]]; then
    log "restoring NuGet packages for $(basename "$SLN")"
    dotnet restore "$SLN" --nologo -v minimal
else
    log "no VitalEvents.sln yet: skipping restore"
fi
