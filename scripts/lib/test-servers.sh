# Sourced by the test commands: a private Postgres cluster and S3 server (moto) for this run,
# started by the test harness on first use and stopped (and removed) when the script exits.

# A private Postgres cluster for this run; the test harness starts it on first use.
export ALBUMEN_TEST_PG_DIR ALBUMEN_TEST_S3_DIR
ALBUMEN_TEST_PG_DIR="$(mktemp -d /tmp/albumen-test-pg.XXXXXX)"
# Likewise one S3 server (moto) for the S3-backed tests.
ALBUMEN_TEST_S3_DIR="$(mktemp -d /tmp/albumen-test-s3.XXXXXX)"
stop_test_servers() {
  if [[ -f "$ALBUMEN_TEST_S3_DIR/pid" ]]; then
    kill "$(cat "$ALBUMEN_TEST_S3_DIR/pid")" 2>/dev/null || true
  fi
  rm -rf "$ALBUMEN_TEST_S3_DIR"
  local pidfile="$ALBUMEN_TEST_PG_DIR/postgres/postmaster.pid"
  if [[ -f "$pidfile" ]]; then
    local pid
    pid="$(head -n1 "$pidfile")"
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$ALBUMEN_TEST_PG_DIR" "$ALBUMEN_TEST_PG_DIR.lock"
}
trap stop_test_servers EXIT

