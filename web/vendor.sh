#!/usr/bin/env bash
# Vendors socket.io-client's prebuilt browser bundle into web/static/vendor/,
# so the widget needs no CDN at run time. Re-run to update: web/vendor.sh 4.8.1
# socket.io-client 4.x speaks Engine.IO v4 / Socket.IO v5, the protocol of the
# python-socketio 5.x / python-engineio 4.x that Rasa runs.
set -euo pipefail
version=${1:-4.8.1}
vendor="$(cd "$(dirname "$0")" && pwd)/static/vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "socket.io-client@$version" >/dev/null)
tar -xzf "$tmp/socket.io-client-$version.tgz" -C "$tmp"
mkdir -p "$vendor"
cp "$tmp/package/dist/socket.io.min.js" "$vendor/socket.io.min.js"
cp "$tmp/package/LICENSE" "$vendor/socket.io-client.LICENSE"
{
  echo "socket.io-client $version from the npm registry (dist/socket.io.min.js)"
  (cd "$vendor" && sha256sum socket.io.min.js)
} >"$vendor/VERSION"
cat "$vendor/VERSION"
