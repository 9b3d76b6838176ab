"""``omnibalance app``: serve the classroom app in a browser (Solara, on 127.0.0.1 by default)."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys

from ..errors import ConfigError

APP_MODULE = "omnibalance.app.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be in [1, 65535], got {value}")
    return value


def register(sub) -> None:
    app = sub.add_parser("app", help="serve the classroom app in a browser",
                         description="Serve the classroom app: pick a scenario and a rule, press "
                                     "play and watch the ties, threats and events. Open the "
                                     "printed address in a browser; Ctrl-C stops the server.")
    app.add_argument("--host", default=DEFAULT_HOST,
                     help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    app.add_argument("--port", type=_port, default=DEFAULT_PORT,
                     help=f"port to listen on (default {DEFAULT_PORT})")
    app.set_defaults(func=cmd_app)


def server_command(host: str, port: int) -> list[str]:
    """The command that serves the app: Solara in production mode (no reloader), no browser
    opened by the server."""
    return [sys.executable, "-m", "solara", "run", APP_MODULE, "--host", host,
            "--port", str(port), "--production", "--no-open", "--log-level", "warning"]


def server_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: Solara's usage telemetry and its font download off (a
    classroom machine may have no network, and the app needs neither)."""
    env = dict(os.environ if base is None else base)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    env.setdefault("SOLARA_ASSETS_FONTAWESOME_ENABLED", "False")
    # Solara warns on every page load that a cookie cannot be samesite=none over plain http
    # on 127.0.0.1; it falls back to samesite=lax, which is right for a local app.
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS"),
                                                 "ignore:Cookies with samesite") if w)
    return env


def check_port_free(host: str, port: int) -> None:
    """Raise :class:`ConfigError` if ``host:port`` cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError("command line", "--host", host, f"unknown address ({exc.strerror})") \
            from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            if exc.errno == errno.EADDRNOTAVAIL:
                raise ConfigError("command line", "--host", host,
                                  f"is not an address of this machine ({exc.strerror}); use "
                                  "127.0.0.1, 0.0.0.0 or one of its own addresses") from None
            raise ConfigError("command line", "--port", port,
                              f"cannot listen on {host}:{port} ({exc.strerror}); "
                              "choose another with --port") from None


def _say(text: str) -> None:
    print(f"omnibalance: {text}", file=sys.stderr, flush=True)


def cmd_app(args) -> int:
    from .assets import ensure_assets

    check_port_free(args.host, args.port)
    for problem in ensure_assets(say=_say):
        print(f"omnibalance: note: {problem} (the page needs it unless Solara's CDN is "
              "reachable)", file=sys.stderr)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"omnibalance: serving the classroom app at http://{shown}:{args.port}/ "
          "(Ctrl-C to stop; the first page load takes a few seconds)", flush=True)
    proc = subprocess.Popen(server_command(args.host, args.port), env=server_env())
    # SIGTERM (kill, a service manager, a closed terminal's SIGHUP) would end this process
    # without a word and leave the server holding the port: stop the server first.
    previous = {sig: signal.signal(sig, _stop_on_signal)
                for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if sig is not None}
    try:
        return proc.wait()
    except (KeyboardInterrupt, _StopSignalError):
        _stop_server(proc)
        raise KeyboardInterrupt from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class _StopSignalError(Exception):
    """A SIGTERM or SIGHUP arrived."""


def _stop_on_signal(signum, frame):
    raise _StopSignalError(signum)


def _stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
