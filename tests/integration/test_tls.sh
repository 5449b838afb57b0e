#!/usr/bin/env bash
# TLS is always verified: the sandbox over HTTPS with certificates made
# here (a private CA, a server certificate for 127.0.0.1, one for another
# name).  Unknown CA and wrong name stop before anything is sent; the CA
# given with --cacert or the profile's cacert is trusted.
. "$(dirname "$0")/sandbox_lib.sh"

if ! command -v openssl >/dev/null; then
	skip "TLS" "openssl is not installed (make deps installs it)"
	done_testing; exit 0
fi
C=$T_TMP/certs
mkdir -p "$C"
EC=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
mkcert() {   # NAME SUBJECT_ALT_NAME: a server certificate signed by the CA
	openssl req "${EC[@]}" -keyout "$C/$1.key" -out "$C/$1.csr" -subj "/CN=$1" 2>/dev/null &&
	openssl x509 -req -in "$C/$1.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" \
		-CAcreateserial -out "$C/$1.pem" -days 2 \
		-extfile <(printf 'subjectAltName=%s\n' "$2") 2>/dev/null
}
openssl req -x509 "${EC[@]}" -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 \
	-subj "/CN=hubassoc test CA" 2>/dev/null &&
	mkcert local IP:127.0.0.1 && mkcert other DNS:example.com ||
	{ not_ok "test certificates made"; done_testing; exit 1; }

# Runs create with extra options against $SB; sets RC and ERR.
tls_send() {
	HUBSPOT_ACCESS_TOKEN=$TOKEN "$HUBASSOC" create contacts companies -t 279 \
		-i "$T_TMP/p.csv" --base-url "$SB" --no-progress -o "$T_TMP/o.jsonl" "$@" \
		2> "$T_TMP/err" < /dev/null
	RC=$?
	ERR=$(cat "$T_TMP/err")
}
# The curl command (not libcurl, not hubassoc) reads CURL_CA_BUNDLE: the
# helpers that look into the sandbox trust the test CA.
export CURL_CA_BUNDLE=$C/ca.pem
creates() { curl -s "$SB/_sandbox/associations?from=contacts&to=companies" | jq '.results | length'; }
logged() { grep -c . "$1" 2>/dev/null; }
open_pairs 5 > "$T_TMP/p.csv"

sb_start --open-portal --tls-cert "$C/local.pem" --tls-key "$C/local.key" \
	--log "$T_TMP/tls.log" || { not_ok "sandbox starts with TLS"; done_testing; exit 1; }
like "the ready line says https" "$SB_READY" "listening on https://127.0.0.1:"
req GET /crm/v4/associations/contacts/companies/labels "" --cacert "$C/ca.pem"
is "curl trusting the CA gets the labels" "$CODE" 200
req GET /crm/v4/associations/contacts/companies/labels "" --cacert /etc/ssl/certs/ca-certificates.crt
is "curl trusting only the system's CAs is refused" "$CODE" 000

before=$(creates) lines=$(logged "$T_TMP/tls.log")
tls_send
is "an unknown CA: exit 3" "$RC" 3
like "it says the server is not trusted" "$ERR" "TLS: $SB is not trusted"
like "and how to trust a private CA" "$ERR" "--cacert"
is "nothing reached the server, the token least of all" "$(logged "$T_TMP/tls.log")" "$lines"
is "nothing created" "$(creates)" "$before"

tls_send --cacert "$C/ca.pem"
is "--cacert: exit 0" "$RC" 0
is "--cacert: every row created" "$(grep -c '"outcome":"created"' "$T_TMP/o.jsonl")" 5
is "--cacert: the sandbox has them" "$(missing_pairs "$T_TMP/p.csv" contacts companies)" 0

# The profile's cacert, for a TLS-inspecting proxy's CA.
mkdir -p "$XDG_CONFIG_HOME/hubassoc"
printf '[profile corp]\ncacert = %s\n' "$C/ca.pem" > "$XDG_CONFIG_HOME/hubassoc/config"
open_pairs 3 7000 > "$T_TMP/p.csv"
tls_send --profile corp
is "profile cacert: exit 0" "$RC" 0
is "profile cacert: every row created" "$(grep -c '"outcome":"created"' "$T_TMP/o.jsonl")" 3
tls_send --profile corp --cacert /dev/null
is "--cacert wins over the profile's" "$RC" 3

# TLS keys are never logged unless asked for by name: SSLKEYLOGFILE, which
# the TLS library writes 0644, is dropped.
SSLKEYLOGFILE=$T_TMP/keys tls_send --cacert "$C/ca.pem"
is "SSLKEYLOGFILE: sent all the same" "$RC" 0
[ -e "$T_TMP/keys" ] && not_ok "SSLKEYLOGFILE is not honoured" || ok "SSLKEYLOGFILE is not honoured"
HUBASSOC_SSLKEYLOGFILE=$T_TMP/asked tls_send --cacert "$C/ca.pem"
if [ -s "$T_TMP/asked" ]; then ok "HUBASSOC_SSLKEYLOGFILE, asked for: keys logged"
else not_ok "HUBASSOC_SSLKEYLOGFILE, asked for: keys logged"; fi
is "the key log is 0600 (before: 0644)" "$(stat -c %a "$T_TMP/asked")" 600
: > "$T_TMP/victim"
ln -s "$T_TMP/victim" "$T_TMP/keylink"
HUBASSOC_SSLKEYLOGFILE=$T_TMP/keylink tls_send --cacert "$C/ca.pem"
is "a key log that is a link: refused before anything is sent (exit 3)" "$RC" 3
like "it says why" "$ERR" "is a symbolic link"
is "what it points at got no keys" "$(stat -c %s "$T_TMP/victim")" 0
sb_stop

# A certificate from the trusted CA, but made out to another name.
sb_start --open-portal --tls-cert "$C/other.pem" --tls-key "$C/other.key" \
	--log "$T_TMP/other.log" || exit 1
tls_send --cacert "$C/ca.pem"
is "a certificate for another name: exit 3" "$RC" 3
like "it says so" "$ERR" "127.0.0.1"
is "nothing reached the server" "$(logged "$T_TMP/other.log")" 0
sb_stop

# Bad sandbox options are refused clearly.
out=$("$HUBASSOC" sandbox --port 0 --tls-cert "$C/local.pem" 2>&1)
like "--tls-cert without --tls-key is refused" "$out" "--tls-cert and --tls-key go together"
out=$("$HUBASSOC" sandbox --port 0 --tls-cert "$T_TMP/p.csv" --tls-key "$C/local.key" 2>&1)
like "a file that is not PEM is refused" "$out" "not a PEM file"
done_testing
