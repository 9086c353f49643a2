"""A tiny raw GDB Remote Serial Protocol client for exact-packet tests.

Framing ($data#cs), checksums, acknowledgements (+/-), no-ack mode, escapes
(}x ^ 0x20) and run-length decoding (X*n) of replies. Every read has a deadline:
a stub that does not answer makes the test fail, never hang.
"""

import socket
import time


class RspError(Exception):
    pass


def checksum(data: bytes) -> int:
    return sum(data) & 0xFF


def escape(data: bytes) -> bytes:
    out = bytearray()
    for b in data:
        if b in b"$#}*":
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    return bytes(out)


def frame(data: bytes) -> bytes:
    """A complete packet for `data` (escaped, with checksum)."""
    body = escape(data)
    return b"$" + body + b"#" + b"%02x" % checksum(body)


def decode_body(body: bytes) -> bytes:
    """Undo escapes and run-length encoding of a received packet body."""
    out = bytearray()
    i = 0
    while i < len(body):
        b = body[i]
        if b == 0x7D:  # '}' escape
            if i + 1 >= len(body):
                raise RspError("dangling escape in %r" % body)
            out.append(body[i + 1] ^ 0x20)
            i += 2
        elif b == 0x2A:  # '*' run-length: repeat the previous byte
            if not out or i + 1 >= len(body):
                raise RspError("bad run-length encoding in %r" % body)
            out += bytes([out[-1]]) * (body[i + 1] - 29)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


class RspClient:
    def __init__(self, host: str, port: int, timeout: float = 10.0):
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.ack_mode = True
        # Notifications (%...) are asynchronous: one may arrive before an ack or between a
        # packet and its reply. They wait here until someone reads with allow_notification.
        self.notifications = []
        self.log = []  # (direction, bytes) for diagnostics

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # -- low level -----------------------------------------------------------------
    def send_raw(self, data: bytes):
        self.log.append((">", data))
        self.sock.sendall(data)

    def _fill(self, deadline: float):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RspError("timeout waiting for the stub; buffer=%r" % self.buf)
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise RspError("timeout waiting for the stub; buffer=%r" % self.buf) from None
        if not chunk:
            raise RspError("connection closed by the stub; buffer=%r" % self.buf)
        self.log.append(("<", chunk))
        self.buf += chunk

    def read_first_byte(self, timeout=None) -> bytes:
        """The next byte the stub sends, without consuming it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while not self.buf:
            self._fill(deadline)
        return self.buf[:1]

    def _take_notification(self, deadline: float):
        """Move the complete %...#cs at the start of the buffer to self.notifications."""
        while True:
            hash_pos = self.buf.find(b"#")
            if hash_pos >= 0 and len(self.buf) >= hash_pos + 3:
                break
            self._fill(deadline)
        body, cs = self.buf[1:hash_pos], self.buf[hash_pos + 1:hash_pos + 3]
        self.buf = self.buf[hash_pos + 3:]
        if int(cs, 16) != checksum(body):
            raise RspError("bad checksum from stub: %r#%r" % (body, cs))
        self.notifications.append(decode_body(body))

    def read_ack(self, timeout=None) -> bytes:
        """The next ack byte ('+' or '-'); only notifications may come before it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            while not self.buf:
                self._fill(deadline)
            if self.buf[:1] != b"%":
                break
            self._take_notification(deadline)
        c, self.buf = self.buf[:1], self.buf[1:]
        if c not in (b"+", b"-"):
            raise RspError("expected an ack, got %r (rest %r)" % (c, self.buf))
        return c

    def read_packet(self, timeout=None, allow_notification=False):
        """The next packet body (decoded). Acks it in ack mode. Checks the checksum."""
        deadline = time.monotonic() + (timeout or self.timeout)
        if allow_notification and self.notifications:
            return ("notification", self.notifications.pop(0))
        while True:
            # Skip stray acks that precede a packet (e.g. a late '+').
            while self.buf[:1] in (b"+", b"-"):
                self.buf = self.buf[1:]
            if self.buf[:1] == b"%" and not allow_notification:
                self._take_notification(deadline)
                continue
            if self.buf and self.buf[:1] not in b"$%":
                raise RspError("garbage before packet: %r" % self.buf)
            hash_pos = self.buf.find(b"#")
            if self.buf and hash_pos >= 0 and len(self.buf) >= hash_pos + 3:
                kind = self.buf[:1]
                body = self.buf[1:hash_pos]
                cs = self.buf[hash_pos + 1:hash_pos + 3]
                self.buf = self.buf[hash_pos + 3:]
                if int(cs, 16) != checksum(body):
                    raise RspError("bad checksum from stub: %r#%r" % (body, cs))
                if self.ack_mode and kind == b"$":
                    self.send_raw(b"+")
                decoded = decode_body(body)
                if kind == b"%":
                    return ("notification", decoded)
                return decoded if not allow_notification else ("packet", decoded)
            self._fill(deadline)

    # -- high level ----------------------------------------------------------------
    def send_packet(self, data, expect_ack=True):
        if isinstance(data, str):
            data = data.encode()
        self.send_raw(frame(data))
        if self.ack_mode and expect_ack:
            ack = self.read_ack()
            if ack != b"+":
                raise RspError("stub NAKed our packet %r" % data)

    def request(self, data, timeout=None) -> bytes:
        """Send a packet and return the decoded reply body."""
        self.send_packet(data)
        return self.read_packet(timeout=timeout)

    def start_no_ack_mode(self) -> bytes:
        reply = self.request("QStartNoAckMode")
        if reply == b"OK":
            self.ack_mode = False
        return reply

    def transcript(self) -> str:
        return "\n".join("%s %r" % (d, b) for d, b in self.log[-60:])
