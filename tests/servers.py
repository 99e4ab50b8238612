"""Local stand-ins for the outside world, for tests and benchmarks: an SMTP sink and an HTTP
webhook receiver. Both run in threads on 127.0.0.1 and record what they get.

They speak just enough of the protocol for Python's smtplib and urllib (Django's e-mail
backend, the notification gateway), and can be slowed down (``delay``) or made to fail
(``fail_next``) to test retries.
"""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    key: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class Sink:
    """What a server received, thread-safe: every delivery, in order, with its key."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: list[Received] = []
        self.delay = 0.0
        self.fail_next = 0
        self.status = 200

    def add(self, item: Received) -> None:
        with self.lock:
            self.items.append(item)

    def received_keys(self) -> list[str]:
        with self.lock:
            return [i.key for i in self.items]

    def distinct(self) -> set[str]:
        return set(self.received_keys())

    def repeats(self) -> int:
        return sum(n - 1 for n in Counter(self.received_keys()).values() if n > 1)

    def __len__(self) -> int:
        with self.lock:
            return len(self.items)


class _SMTPHandler(socketserver.StreamRequestHandler):
    server: Any

    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self) -> None:
        sink: Sink = self.server.sink
        self._reply("220 sink ESMTP")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with .")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if not line or line in (b".\r\n", b".\n"):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                if sink.delay:
                    time.sleep(sink.delay)
                if sink.fail_next > 0:
                    sink.fail_next -= 1
                    self._reply("451 try again later")
                    continue
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                body = message.get_body(preferencelist=("plain",))
                sink.add(
                    Received(
                        key=str(message.get("Message-ID", "")),
                        body=body.get_content() if body is not None else "",
                        headers={k: str(v) for k, v in message.items()},
                    )
                )
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, sink: Sink) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.sink = sink


class _HookHandler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        sink: Sink = self.server.sink
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode()
        if sink.delay:
            time.sleep(sink.delay)
        status = sink.status
        if sink.fail_next > 0:
            sink.fail_next -= 1
            status = 503
        if status < 300:
            sink.add(
                Received(
                    key=self.headers.get("Idempotency-Key", ""),
                    body=body,
                    headers={k: v for k, v in self.headers.items()},
                )
            )
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


class _HookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sink: Sink) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.sink = sink


class Running:
    """A started server: ``.port``, ``.sink``, ``.url``; ``stop()`` when done."""

    def __init__(self, server: socketserver.BaseServer, sink: Sink, scheme: str) -> None:
        self.server = server
        self.sink = sink
        self.port = int(server.server_address[1])  # type: ignore[index]
        self.url = f"{scheme}://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_smtp_sink() -> Running:
    sink = Sink()
    return Running(_SMTPServer(sink), sink, "smtp")


def start_webhook_receiver() -> Running:
    sink = Sink()
    return Running(_HookServer(sink), sink, "http")
