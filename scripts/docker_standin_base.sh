#!/usr/bin/env bash
# Builds a stand-in for python:3.11-slim from Debian packages, for machines that run dockerd but
# cannot pull from the public registry:
#   sudo scripts/docker_standin_base.sh [TAG]     # default local/python:3.11-bookworm
#   python3 scripts/docker_smoke.py --base-image local/python:3.11-bookworm
# Debian bookworm's python3 is 3.11; python3-venv is all the Dockerfile needs of it. Needs root,
# debootstrap and a Debian mirror (DEBIAN_MIRROR, else the first one apt uses here).
set -euo pipefail
tag=${1:-local/python:3.11-bookworm}
mirror=${DEBIAN_MIRROR:-$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources || true
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list || true
  } | awk '$2 !~ /security/ {print $2}' | head -n 1
)}
mirror=${mirror:-http://deb.debian.org/debian}
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$rootfs" "$mirror"
# Where HTTPS goes through a proxy with its own CA, the builds' pip must trust it too.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/lib/apt/lists/*
# PIP_CERT: pip reads its own CA bundle otherwise, not the system's (where a local CA went).
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["python3"]' \
  - "$tag"
echo "built $tag"
