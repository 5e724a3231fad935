# SPDX-License-Identifier: ISC (see COPYING)
# tests/tls/certs.sh - make the certificates the TLS tests use (sourced;
# needs openssl). tls_make_certs DIR writes, all EC P-256, keys mode 0600:
#   ca.pem            the CA the console is told to trust
#   other.pem         a CA it is not told about
#   good.pem/.key     server, CN localhost, SAN localhost + 127.0.0.1, by ca
#   expired.pem/.key  the same names, by ca, valid 2020-01-01..02 only
#   wronghost.pem/.key  by ca, for wrong.example only
#   clientca.pem      the CA the server trusts for client certificates
#   client.pem/.key   client certificate by clientca
#   stranger.pem/.key client certificate by other
# Returns non-zero (and says why on stderr) when openssl fails.

_tls_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1"
}

_tls_ca() { # DIR NAME CN
	_tls_key "$1/$2.key" &&
		openssl req -x509 -new -key "$1/$2.key" -sha256 -days 2 -subj "/CN=$3" \
			-addext basicConstraints=critical,CA:TRUE \
			-addext keyUsage=critical,keyCertSign,cRLSign -out "$1/$2.pem"
}

_tls_leaf() { # DIR NAME CA CN SAN EKU [STARTDATE ENDDATE]
	local d=$1 n=$2 ca=$3
	_tls_key "$d/$n.key" || return 1
	openssl req -new -key "$d/$n.key" -subj "/CN=$4" -out "$d/$n.csr" || return 1
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=%s\n' "$5" "$6" >"$d/$n.ext"
	if [ -z "${7:-}" ]; then
		openssl x509 -req -in "$d/$n.csr" -CA "$d/$ca.pem" -CAkey "$d/$ca.key" \
			-CAcreateserial -days 2 -sha256 -extfile "$d/$n.ext" -out "$d/$n.pem"
		return
	fi
	# a validity period in the past needs openssl ca and its small database
	mkdir -p "$d/db-$n" && : >"$d/db-$n/index" && printf '01\n' >"$d/db-$n/serial"
	cat >"$d/$n.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $d/db-$n/index
serial = $d/db-$n/serial
new_certs_dir = $d/db-$n
default_md = sha256
policy = p
unique_subject = no
[p]
commonName = supplied
CNF
	openssl ca -batch -config "$d/$n.cnf" -cert "$d/$ca.pem" -keyfile "$d/$ca.key" \
		-in "$d/$n.csr" -startdate "$7" -enddate "$8" -extfile "$d/$n.ext" \
		-notext -out "$d/$n.pem"
}

tls_make_certs() {
	local d=$1 log=$1/openssl.log
	mkdir -p "$d" || return 1
	{
		_tls_ca "$d" ca "payops test CA" &&
			_tls_ca "$d" other "another CA" &&
			_tls_ca "$d" clientca "payops client CA" &&
			_tls_leaf "$d" good ca localhost "DNS:localhost,IP:127.0.0.1" serverAuth &&
			_tls_leaf "$d" expired ca localhost "DNS:localhost,IP:127.0.0.1" serverAuth \
				20200101000000Z 20200102000000Z &&
			_tls_leaf "$d" wronghost ca wrong.example "DNS:wrong.example" serverAuth &&
			_tls_leaf "$d" client clientca op.test "DNS:op.test" clientAuth &&
			_tls_leaf "$d" stranger other op.test "DNS:op.test" clientAuth
	} >"$log" 2>&1 || { cat "$log" >&2; return 1; }
	chmod 600 "$d"/*.key
}
