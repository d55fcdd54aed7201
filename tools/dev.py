#!/usr/bin/env python3
"""`make dev`: the day-to-day loop of a front-end developer.

Starts the server (a debug build, on 127.0.0.1:8080, data in ./data) and
Vite's dev server (hot reload, `/api` proxied to the server) together. When a
file under server/ or offline/ changes, the server is rebuilt and, if the
build passes, restarted; a failed build keeps the running server and shows
the compiler's errors. Ctrl-C stops both.

Extra environment (Together, Clerk, ...) passes through to the server.
"""

import os
import pathlib
import signal
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WATCHED = [ROOT / "server", ROOT / "offline", ROOT / "Cargo.toml", ROOT / "Cargo.lock"]
SUFFIXES = {".rs", ".toml", ".lock", ".sql"}
POLL_SECS = 1.0
CARGO = os.environ.get("CARGO", "cargo")


def snapshot():
    """Modification times of every watched source file."""
    times = {}
    for place in WATCHED:
        files = [place] if place.is_file() else place.rglob("*")
        for path in files:
            if path.suffix in SUFFIXES and "target" not in path.parts:
                try:
                    times[path] = path.stat().st_mtime_ns
                except FileNotFoundError:
                    pass
    return times


def build():
    print("dev: building the server…", flush=True)
    done = subprocess.run([CARGO, "build", "--locked", "-p", "promptcanvas", "--bin", "promptcanvas"], cwd=ROOT)
    return done.returncode == 0


def target_dir():
    return pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def start_server():
    environment = {"BIND_ADDR": "127.0.0.1:8080", "DATA_DIR": str(ROOT / "data"), **os.environ}
    binary = target_dir() / "debug" / "promptcanvas"
    print(f"dev: server on http://{environment['BIND_ADDR']}", flush=True)
    return subprocess.Popen([str(binary), "serve"], cwd=ROOT, env=environment, start_new_session=True)


def start_vite():
    print("dev: Vite on http://127.0.0.1:5173 (open this one)", flush=True)
    return subprocess.Popen(["npm", "run", "dev", "--", "--host", "127.0.0.1"], cwd=ROOT / "web",
                            start_new_session=True)


def stop(process):
    """Stops a process and everything it started."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main():
    # Ctrl-C stops everything even when started where SIGINT was ignored (as
    # for background jobs); a plain `kill` does too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if not build():
        print("dev: the server does not build; fix it and run make dev again", file=sys.stderr)
        return 1
    server, vite = start_server(), start_vite()
    seen = snapshot()
    try:
        while True:
            time.sleep(POLL_SECS)
            if vite.poll() is not None:
                print("dev: Vite stopped", file=sys.stderr)
                return vite.returncode or 1
            now = snapshot()
            if now == seen:
                continue
            seen = now
            if build():
                stop(server)
                server = start_server()
                seen = snapshot()
            else:
                print("dev: the build failed; the previous server keeps running", file=sys.stderr)
    except KeyboardInterrupt:
        print("\ndev: stopping", flush=True)
        return 0
    finally:
        stop(server)
        stop(vite)


if __name__ == "__main__":
    sys.exit(main())
