#!/bin/sh
# Installs, from Debian (12, bookworm) packages, everything `npm run test:interop` needs:
# the five service provider stacks, Apache, PHP for SimpleSAMLphp, xmlsec1 for pysaml2.
# Run as root (or with sudo). No service is started: the Debian scripts are told not to
# (policy-rc.d), and the tests run their own Apache, shibd and PHP instances from a
# temporary directory on loopback ports.
set -eu

packages="apache2 libapache2-mod-auth-mellon libapache2-mod-shib shibboleth-sp-utils \
simplesamlphp php-cli php-xml php-mbstring \
python3 python3-pysaml2 python3-onelogin-saml2 xmlsec1 openssl"

if [ "$(id -u)" -ne 0 ]; then
  exec sudo "$0" "$@"
fi

# invoke-rc.d asks /usr/sbin/policy-rc.d; 101 means "action forbidden" (Debian policy §9.3.3.1).
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=yes
fi
cleanup() {
  if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $packages

echo "Installed: $packages"
echo "Run the interop tests with: npm run test:interop"
