#!/usr/bin/env python3
"""Instructions per warm invocation of a Lambda function binary, under valgrind's callgrind.

Instruction counts repeat exactly where timings do not (a shared, busy machine), so this is
the repeatable figure behind BENCHMARKS.md's warm-spin steps. The binary is run twice under a
minimal Runtime API that hands it the HTTP API fixture event N times and then hangs up (the
runtime's loop ends with an error and the process exits, so callgrind writes its counts):

    instructions per warm invocation = (I(1 200 events) - I(200 events)) / 1 000

Start-up and the first invocations cancel out. Build the binaries with symbols so that
`callgrind_annotate` can name functions, e.g.

    CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \\
      cargo build --release -p spin-lambda --target-dir target/callgrind
    CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \\
      cargo build --release -p lambda-emulator --example hello_lambda --target-dir target/callgrind
    tools/callgrind_warm.py target/callgrind/release/spin-lambda \\
      target/callgrind/release/examples/hello_lambda

The callgrind files stay in target/callgrind-warm/ for `callgrind_annotate --inclusive=yes`.
Valgrind hides the CPU's SHA extensions, so SHA-256 runs in software under it.
"""

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT = ROOT / "tests/fixtures/events/http-api-v2-default.json"
OUT = ROOT / "target/callgrind-warm"
SHORT, LONG = 200, 1200


def serve(count, event):
    """A Runtime API on an ephemeral port that hands out `event` `count` times."""
    handed = [0]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def do_GET(self):
            with lock:
                handed[0] += 1
                number = handed[0]
            if number > count:
                # Hang up: the runtime's next poll fails and the process exits.
                self.close_connection = True
                self.connection.close()
                return
            request_id = "emulated-%d" % number
            self.send_response(200)
            self.send_header("lambda-runtime-aws-request-id", request_id)
            self.send_header("lambda-runtime-deadline-ms", "4102444800000")
            self.send_header(
                "lambda-runtime-invoked-function-arn",
                "arn:aws:lambda:us-east-1:123456789012:function:spin",
            )
            self.send_header(
                "lambda-runtime-trace-id",
                "Root=1-00000000-%s;Sampled=0" % request_id.rjust(24, "0"),
            )
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(event)))
            self.end_headers()
            self.wfile.write(event)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(202)
            self.send_header("content-length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def instructions(binary, count, event, origin):
    """Total instructions of `binary` serving `count` events."""
    OUT.mkdir(parents=True, exist_ok=True)
    name = Path(binary).name
    out = OUT / ("%s-%d.cg" % (name, count))
    server = serve(count, event)
    env = {
        "PATH": "/usr/bin:/bin",
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:%d" % server.server_address[1],
        "AWS_LAMBDA_FUNCTION_NAME": "spin",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/spin",
        "AWS_LAMBDA_LOG_STREAM_NAME": "emulated",
        "AWS_REGION": "us-east-1",
        "ALLOWED_ORIGINS": origin,
        # A fixed secret, so no start-up warning differs between runs.
        "SPIN_SECRET": "00" * 32,
    }
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=%s" % out, binary],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    server.shutdown()
    totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
    if not totals:
        sys.exit("no callgrind totals in %s" % out)
    return int(totals.group(1))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    fixture = json.loads(EVENT.read_text())
    event = json.dumps(fixture).encode()
    origin = fixture["headers"]["origin"]
    per_binary = {}
    for binary in sys.argv[1:]:
        short = instructions(binary, SHORT, event, origin)
        long = instructions(binary, LONG, event, origin)
        per_binary[binary] = (long - short) / (LONG - SHORT)
        print("%s: %.0f instructions per warm invocation" % (binary, per_binary[binary]))
    if len(per_binary) == 2:
        first, second = per_binary.values()
        print("ratio: %.2f" % (first / second))


if __name__ == "__main__":
    main()
