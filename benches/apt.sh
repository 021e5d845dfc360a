# Sourced by the load scripts: a Debian package a benchmark needs, installed
# when its command is missing and this runs as root, else named with the
# command to run (benchmarks, like `make test`, set up what they lack).
apt_need() { # command package
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1 is missing: apt-get install -y $2 (as root)" >&2
    exit 1
  fi
  echo "installing $2 from Debian..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
