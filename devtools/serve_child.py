"""The real app in a process of its own (`python -m devtools.serve_child`).

Settings come from the CCMKG_* environment, like a deployment. It binds a free 127.0.0.1
port, prints `PORT n` on stdout, and logs (uvicorn access and error logs included) to stderr,
which the parent captures: the fault tests kill this process with SIGKILL, and the security
tests search its log for secrets.
"""

from __future__ import annotations

import os
import socket

from ccmkg.api.serving import ServingServer, server_config
from ccmkg.settings import Settings
from devtools.rel_support import build_app


def main() -> None:
    settings = Settings()
    app = build_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    # From here on stdout (uvicorn's access log) goes to the captured log too: the parent
    # stops reading the pipe, which would otherwise fill up and block the server.
    os.dup2(2, 1)
    level = os.environ.get("REL_LOG_LEVEL", "info")
    config = server_config(app, settings, log_level=level, access_log=True)
    ServingServer(config).run(sockets=[sock])  # as `ccmkg serve` runs


if __name__ == "__main__":
    main()
