#!/usr/bin/env bash
# Run clinic-intake for production on one machine: nginx in front, gunicorn behind it on a Unix
# socket in the instance folder. `make run-production` runs it (after installing nginx), and so
# does deploy/systemd/clinic-intake.service.
#
#   HOST, PORT     where nginx listens (default 127.0.0.1:5000)
#   HTTPS_PORT     HTTPS port when a certificate is configured (default 443); PORT then only
#                  redirects to it
#   TLS_CERT, TLS_KEY   the certificate (full chain) and key (default instance/tls/cert.pem and
#                  instance/tls/key.pem); without them nginx serves plain HTTP, on loopback only
#   CLINIC_INSTANCE_PATH   the instance folder (default instance/)
#   WEB_CONCURRENCY, GUNICORN_TIMEOUT   as for `make run` (gunicorn.conf.py)
#   TRUSTED_PROXY  behind a front proxy (several app servers: README "Scaling out"): its
#                  address(es), space-separated; nginx then takes the client's address from
#                  that proxy's X-Forwarded-For (from nobody else), for the limits and the app
#   SERVICE_USER   started as root: the unprivileged user gunicorn, the handout renderer and
#                  nginx's workers run as (default clinic, made as a system user if missing)
#   FLASK_RATELIMIT_STORAGE_URI   a shared Redis for several app servers (README "Scaling
#                  out"); without it the script starts a Redis of its own on a Unix socket in
#                  the instance folder, so the app's limits hold for all gunicorn workers
#
# Steps: migrate the database, start Redis for the limits (unless one is named), start gunicorn
# on instance/gunicorn.sock (0600), start nginx from
# deploy/nginx/*.template (generated into instance/nginx/, with its pid and temporary files).
# Both stay in the foreground as children of this script; SIGINT or SIGTERM stops both, and if
# either exits the other is stopped too, so a supervisor (systemd) sees one service.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true  # "&" in a replacement stays literal

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
HTTPS_PORT=${HTTPS_PORT:-443}
BIN=${BIN:-$ROOT/.venv/bin}
INSTANCE=$(realpath -m "${CLINIC_INSTANCE_PATH:-$ROOT/instance}")
NGINX_DIR=$INSTANCE/nginx
SOCKET=$INSTANCE/gunicorn.sock
TLS_CERT=${TLS_CERT:-$INSTANCE/tls/cert.pem}
TLS_KEY=${TLS_KEY:-$INSTANCE/tls/key.pem}
# Requests larger than the app's MAX_CONTENT_LENGTH (64 KiB) are refused by nginx already.
NGINX_MAX_BODY=${NGINX_MAX_BODY:-64k}
GUNICORN_TIMEOUT=${GUNICORN_TIMEOUT:-60}

say() { echo "run-production: $*" >&2; }
die() { say "$*"; exit 1; }

NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || die "nginx is not installed: \`make run-production\` installs it (Debian \
package nginx-light), or ask an administrator to run: sudo apt-get install nginx-light"
[ -x "$BIN/gunicorn" ] || die "no $BIN/gunicorn: run \`make install\` first"
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}
REDIS_SOCKET=$INSTANCE/redis.sock

# The app: production checks on (strong SECRET_KEY, CLINIC_PHONE), and exactly one trusted proxy.
export APP_ENV=production FLASK_PROXY_COUNT=1 CLINIC_INSTANCE_PATH=$INSTANCE

(umask 077 && mkdir -p "$INSTANCE" "$NGINX_DIR")

# Started as root (`sudo make run-production`), nothing that reads patients' input keeps root:
# gunicorn, its workers, the WeasyPrint renderer they start and the migrations run as
# SERVICE_USER, and nginx's workers too; only nginx's master stays root, to open the ports.
# The user owns instance/ (keys 0600, database, audit head, backups, nginx's temporary files,
# the font cache). Under systemd the whole service already runs as that user.
as_service=()
if [ "$(id -u)" -eq 0 ]; then
  SERVICE_USER=${SERVICE_USER:-clinic}
  if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$SERVICE_USER"
    say "made the system user $SERVICE_USER (no login shell, no home)"
  fi
  [ "$(id -u "$SERVICE_USER")" -ne 0 ] || die "SERVICE_USER must not be root"
  service_group=$(id -gn "$SERVICE_USER")
  as_service=(setpriv "--reuid=$SERVICE_USER" "--regid=$service_group" --init-groups
              --no-new-privs)
  # Root's HOME and runtime folder are not the service's: fontconfig keeps its cache in
  # instance/cache instead.
  export HOME=/nonexistent XDG_CACHE_HOME=$INSTANCE/cache
  unset XDG_RUNTIME_DIR
  (umask 077 && mkdir -p "$XDG_CACHE_HOME")
  # The venv's interpreter must be usable by that user: a Python under /root (pyenv) is not.
  # Asked from a shell: setpriv's own exec still looks the file up with root's capabilities,
  # the processes the workers start (the renderer) would not.
  if ! probe=$("${as_service[@]}" /bin/sh -c 'exec "$0" -c "import json, gunicorn, clinic"' \
      "$BIN/python" 2>&1); then
    die "the user $SERVICE_USER cannot run the app with $BIN/python ($probe): the code, \
.venv and the Python it was made with must be readable by that user (README: Running in \
production), or start this script as that user"
  fi
fi

# One server per instance folder: the socket, the control socket and nginx's files are shared.
# The lock is inherited by nginx and gunicorn, so it is held while any of them still runs.
exec {lock_fd}>"$NGINX_DIR/run.lock"
flock -n "$lock_fd" || die "another server is already running on $INSTANCE"

# The kernel limits a Unix socket's path to 107 bytes.
[ ${#SOCKET} -le 107 ] || die "the instance path is too long for a Unix socket: $SOCKET"

loopback=0
case "$HOST" in 127.*|localhost|::1|\[::1\]) loopback=1 ;; esac
tls=0
if [ -s "$TLS_CERT" ] && [ -s "$TLS_KEY" ]; then
  tls=1
elif [ "$loopback" -eq 0 ]; then
  # Production sets Secure session cookies (browsers send them over HTTPS only) and staff send
  # passwords: plain HTTP is for loopback only.
  die "no TLS certificate: put the certificate (full chain) in $TLS_CERT and its key in \
$TLS_KEY (README: Running in production), or listen on 127.0.0.1 only"
fi

listen_on() {  # HOST and a port as nginx's listen wants them
  local host=${HOST#[}; host=${host%]}
  case "$host" in *:*) echo "[$host]:$1" ;; *) echo "$host:$1" ;; esac
}

real_ip="# (no TRUSTED_PROXY: nothing in front of nginx is trusted)"
if [ -n "${TRUSTED_PROXY:-}" ]; then
  real_ip=""
  for address in $TRUSTED_PROXY; do
    [[ $address =~ ^[0-9A-Fa-f.:/]+$ ]] || die "TRUSTED_PROXY: not an address: $address"
    real_ip+="set_real_ip_from $address; "
  done
  real_ip+="real_ip_header X-Forwarded-For;"
fi

declare -A fill=(
  [NGINX_DIR]=$NGINX_DIR
  [SOCKET]=$SOCKET
  [MAX_BODY]=$NGINX_MAX_BODY
  [PROXY_READ_TIMEOUT]=$((GUNICORN_TIMEOUT + 15))s
  [LISTEN]=$(listen_on "$PORT")
  [LISTEN_TLS]=$(listen_on "$HTTPS_PORT")
  [TLS_CERT]=$TLS_CERT
  [TLS_KEY]=$TLS_KEY
  [HTTPS_PORT_SUFFIX]=$([ "$HTTPS_PORT" = 443 ] || echo ":$HTTPS_PORT")
  [USER_LINE]="# (no user directive: nginx's workers run as the user who starts it)"
  [REAL_IP]=$real_ip
)
if [ "${#as_service[@]}" -gt 0 ]; then
  # The socket's owner: nginx's workers open the 0600 socket in the 0700 instance folder.
  fill[USER_LINE]="user $SERVICE_USER $service_group;"
  say "started as root: gunicorn, the handout renderer and nginx's workers run as $SERVICE_USER"
fi

render() {  # template -> file, with every @NAME@ replaced
  local text name
  text=$(<"$1")
  for name in "${!fill[@]}"; do
    text=${text//"@$name@"/"${fill[$name]}"}
  done
  if [[ $text =~ @[[:upper:]_]+@ ]]; then die "unfilled ${BASH_REMATCH[0]} in $1"; fi
  printf '%s\n' "$text" >"$2"
}

for temp in client_body proxy fastcgi uwsgi scgi; do
  (umask 077 && mkdir -p "$NGINX_DIR/$temp")
done
render deploy/nginx/nginx.conf.template "$NGINX_DIR/nginx.conf"
if [ "$tls" -eq 1 ]; then
  render deploy/nginx/server-https.conf.template "$NGINX_DIR/servers.conf"
  url="https://$(listen_on "$HTTPS_PORT")/"
else
  render deploy/nginx/server-http.conf.template "$NGINX_DIR/servers.conf"
  url="http://$(listen_on "$PORT")/"
fi
nginx_args=(-e stderr -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf")
"$NGINX" -t -q "${nginx_args[@]}" || die "nginx refused the configuration in $NGINX_DIR"

if [ "${#as_service[@]}" -gt 0 ]; then
  chown -R "$SERVICE_USER:$service_group" "$INSTANCE"
fi

# Schema first, once, before any worker starts (as `make db` does).
"${as_service[@]}" "$BIN/flask" --app wsgi db upgrade heads

gunicorn_pid='' nginx_pid='' redis_pid=''
stop() {
  trap - INT TERM EXIT
  # nginx first, gracefully, so requests in progress still reach gunicorn; then gunicorn, then
  # the limits' Redis it counts in.
  if [ -n "$nginx_pid" ]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then wait "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$gunicorn_pid" ]; then kill -TERM "$gunicorn_pid" 2>/dev/null || true; fi
  if [ -n "$gunicorn_pid" ]; then wait "$gunicorn_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$redis_pid" ]; then wait "$redis_pid" 2>/dev/null || true; fi
}
trap 'say "stopping nginx, gunicorn and Redis"; stop; exit 0' INT TERM
trap stop EXIT

wait_for_socket() {  # path, pid, seconds, name: until that process has opened its socket
  for _ in $(seq $(( $3 * 10 ))); do
    [ -S "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || die "$4 exited before it was ready"
    sleep 0.1
  done
  die "$4 did not open $1 within $3 s"
}

# The app's limits (kiosk starts, logins: per minute and per hour) count in one store for all
# gunicorn workers: a Redis on a Unix socket only this user can open, nothing on disk (the
# counts are minutes to an hour old). Each worker counting in its own memory let one client
# through twice per worker. A clinic with several servers names their shared Redis instead.
if [ -n "${FLASK_RATELIMIT_STORAGE_URI:-}" ]; then
  say "limits counted in the Redis FLASK_RATELIMIT_STORAGE_URI names"
elif [ -x "$REDIS_SERVER" ]; then
  rm -f "$REDIS_SOCKET"  # left by a crash; the lock says nobody uses it
  "${as_service[@]}" "$REDIS_SERVER" --port 0 --unixsocket "$REDIS_SOCKET" \
    --unixsocketperm 600 --save "" --appendonly no --dir "$INSTANCE" --loglevel warning &
  redis_pid=$!
  wait_for_socket "$REDIS_SOCKET" "$redis_pid" 10 redis-server
  export CLINIC_LIMIT_STORE=redis+unix://$REDIS_SOCKET
else
  say "warning: no redis-server (\`make run-production\` installs it, Debian package \
redis-server): each gunicorn worker counts the limits on its own; nginx still holds the \
per-minute ones"
fi

if [ -S "$SOCKET" ]; then rm -f "$SOCKET"; fi  # left by a crash; the lock says nobody uses it
"${as_service[@]}" "$BIN/gunicorn" --config gunicorn.conf.py --bind "unix:$SOCKET" wsgi:app &
gunicorn_pid=$!
wait_for_socket "$SOCKET" "$gunicorn_pid" 60 gunicorn  # workers warm their renderer first

"$NGINX" "${nginx_args[@]}" &
nginx_pid=$!
say "serving $url (nginx -> gunicorn on unix:$SOCKET); Ctrl-C stops both"

# Until either exits (or a signal runs the trap above): then stop the other.
status=0
wait -n -p ended "$gunicorn_pid" "$nginx_pid" || status=$?
if [ "${ended:-}" = "$nginx_pid" ]; then
  nginx_pid=''
  say "nginx exited (status $status): stopping gunicorn"
else
  gunicorn_pid=''
  say "gunicorn exited (status $status): stopping nginx"
fi
stop
exit 1
