"""moto_server with DynamoDB's atomicity.

DynamoDB applies each request (a conditional write, a transaction) as one
indivisible step. moto's threaded server does not: two transactions checked at
the same moment can both pass their conditions, and a failed one restores a
copy of the table taken before another's write. The contract suites run
concurrent conditional writes (the storage quota, idempotency claims), so the
stand-in must serialise DynamoDB requests as the real service does. S3 and the
rest of moto stay concurrent.

Same arguments as moto_server: -H host -p port.
"""

import argparse
import os
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import run_simple


def one_dynamodb_request_at_a_time(app):
    lock = threading.Lock()

    def serialised(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return app(environ, start_response)
        with lock:
            # Build the whole answer inside the lock: the write happens there.
            return list(app(environ, start_response))

    return serialised


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args()
    # moto writes its own address into some answers (as moto_server does).
    os.environ.setdefault("MOTO_PORT", str(args.port))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        args.host,
        args.port,
        one_dynamodb_request_at_a_time(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
