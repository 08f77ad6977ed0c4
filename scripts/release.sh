#!/usr/bin/env bash
# Builds jobfam's release binaries: linux, darwin and windows, each on amd64
# and arm64, named jobfam_VERSION_OS_ARCH (.exe on windows), with a
# SHA256SUMS file beside them. The release workflow
# (.github/workflows/release.yml) runs it for a tag vVERSION.
#
#   scripts/release.sh 0.1.0      # or v0.1.0
#
# The binaries go into dist/ at the repository root, emptied first;
# JOBFAM_DIST names another folder (relative to the repository root).
#
# The build is reproducible: no cgo, no local paths (-trimpath), and the
# version is stamped through -ldflags rather than taken from the
# environment. The Go build ID stays: it is a digest of the build's inputs
# and output, the same on every machine, and the result cache keys on it
# cheaply (a binary without one is hashed whole on every run). Built from a git checkout, a binary also records its
# commit and whether the checkout had changes (jobfam --version says so).
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: scripts/release.sh VERSION, a semantic version such as 0.1.0 or v0.1.0"
if [ "$#" -ne 1 ]; then
  echo "$usage" >&2
  exit 2
fi
# The tag is vX.Y.Z; the files are named without the v, as most release
# downloads are.
version=${1#v}
semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
if ! [[ "$version" =~ $semver ]]; then
  echo "release.sh: $1 is not a semantic version (X.Y.Z, optionally -prerelease)" >&2
  echo "$usage" >&2
  exit 2
fi

dist=${JOBFAM_DIST:-dist}
case "$dist" in
  "" | / | . | ..)
    echo "release.sh: JOBFAM_DIST=$dist would empty more than a build folder" >&2
    exit 2
    ;;
esac
rm -rf "$dist"
mkdir -p "$dist"

# -buildvcs=auto and -mod=readonly override a GOFLAGS of the machine's own;
# GOWORK=off keeps a go.work above the checkout out of the build.
export CGO_ENABLED=0 GOWORK=off
ldflags="-s -w -X github.com/jobfam/jobfam/internal/version.Version=v$version"
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    ext=""
    if [ "$os" = windows ]; then
      ext=".exe"
    fi
    name="jobfam_${version}_${os}_${arch}${ext}"
    echo "building $name"
    GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=auto -mod=readonly \
      -ldflags "$ldflags" -o "$dist/$name" ./cmd/jobfam
  done
done

# sha256sum's format, which sha256sum -c reads; macOS has shasum instead.
(
  cd "$dist"
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum jobfam_* >SHA256SUMS
  else
    shasum -a 256 jobfam_* >SHA256SUMS
  fi
)
echo "wrote $dist"
ls -l "$dist"
