"""HTTP/1.1 framing for the fake provider: one asyncio Protocol per connection.

A Protocol, not asyncio streams: per request, streams cost a task step for every await (read the
head, read the body, sleep, drain) plus a reader and a writer per connection, and that Python
overhead set the fake's speed in the benches. Here a request is parsed straight from the bytes
received and answered with one write.

It is a BufferedProtocol: the plain Protocol's recv() allocates a 256 KiB object per read, which
glibc serves with mmap, mremap and munmap: three system calls per request (strace -c).

Requests on a connection are answered one at a time, in order: the next one is parsed once the
answer to the current one is written (HTTP/1.1 keep-alive; pipelined requests wait their turn).
"""
import asyncio

MAX_HEAD_BYTES = 1 << 24
# Every connection of the process reads into this one buffer: asyncio fills it and calls
# buffer_updated() at once, before any other connection reads.
RECEIVE_BUFFER = memoryview(bytearray(256 * 1024))

STATUS_TEXT = {
    100: "Continue", 200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict",
    411: "Length Required", 413: "Payload Too Large", 429: "Too Many Requests",
    431: "Request Header Fields Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout", 529: "Overloaded",
}


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class Request:
    __slots__ = ("method", "path", "headers", "body_start", "body")

    def __init__(self, method, path, headers, body_start):
        self.method, self.path, self.headers, self.body_start = method, path, headers, body_start
        self.body = b""


class HttpConnection(asyncio.BufferedProtocol):
    """Parses requests and hands each to server.handle(connection, request), which answers it
    later with answer(), hold() or reset(). The server also gets opened() (returns an id for the
    log) and closed()."""

    def __init__(self, server):
        self.server = server
        self.buffer = bytearray()
        self.transport = None
        self.loop = None
        self.id = None
        self.head = None           # the parsed head of a request whose body is still arriving
        self.continue_sent = False
        self.busy = False          # a request is being answered
        self.parsing = False       # inside next_request(): an answer given there needs no new call
        self.peer_gone = False     # the client half-closed or disconnected
        self.hold_timer = None     # set while a request is held (see hold())
        self.on_release = None

    # ---- asyncio callbacks ------------------------------------------------------------------------

    def connection_made(self, transport):
        self.transport = transport
        self.loop = asyncio.get_running_loop()
        self.id = self.server.opened()

    def get_buffer(self, sizehint):
        return RECEIVE_BUFFER

    def buffer_updated(self, nbytes):
        if self.hold_timer is not None:
            return  # a held request reads and drops everything until the client leaves
        self.buffer += RECEIVE_BUFFER[:nbytes]
        if not self.busy:
            self.next_request()

    def eof_received(self):
        self.peer_gone = True
        if self.hold_timer is not None:
            self.release()
        elif not self.busy:
            self.next_request()  # requests sent before the end are still answered
        return True  # keep the writing side open for an answer in progress

    def connection_lost(self, exc):
        self.peer_gone = True
        self.release()
        self.server.closed()

    # ---- what the server calls --------------------------------------------------------------------

    def later(self, delay_s, callback, *args):
        self.loop.call_later(delay_s, callback, *args)

    def answer(self, data, keep_alive):
        """Writes a whole answer; the next request on the connection follows."""
        self.write(data)
        self.busy = False
        if not keep_alive:
            self.transport.close()
        elif not self.parsing:
            self.next_request()

    def hold(self, data, limit_s, on_release):
        """Writes data (maybe nothing), then neither reads nor answers: the client has to give up.
        Ends, closing the connection, when the client leaves or after limit_s."""
        self.write(data)
        self.buffer.clear()
        self.on_release = on_release
        self.hold_timer = self.loop.call_later(limit_s, self.release)
        if self.peer_gone:
            self.release()

    def reset(self, data):
        """Writes data, then drops the connection without a proper close (the client sees a reset)."""
        self.write(data)
        self.transport.abort()

    # ---- inside -------------------------------------------------------------------------------------

    def write(self, data):
        if data and not self.transport.is_closing():
            self.transport.write(data)

    def release(self):
        if self.hold_timer is None:
            return
        self.hold_timer.cancel()
        self.hold_timer = None
        self.on_release()
        self.transport.close()

    def next_request(self):
        self.parsing = True
        try:
            while not self.busy and not self.transport.is_closing():
                try:
                    request = self.take_request()
                except HttpError as error:
                    self.write(plain_response(error.status, str(error), keep_alive=False))
                    self.transport.close()
                    return
                if request is None:
                    if self.peer_gone:
                        self.transport.close()
                    return
                self.busy = True
                self.server.handle(self, request)
        finally:
            self.parsing = False

    def take_request(self):
        """The next whole request, removed from the buffer; None until all of it has arrived."""
        if self.head is None:
            if not self.buffer:
                return None
            self.head = parse_head(self.buffer)
            if self.head is None:
                return None
        head = self.head
        found = body_of(head, self.buffer)
        if found is None:
            if not self.continue_sent and head.headers.get("expect", "").lower() == "100-continue":
                self.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.continue_sent = True
            return None
        head.body, end = found
        del self.buffer[:end]
        self.head, self.continue_sent = None, False
        return head


def parse_head(buffer):
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        if len(buffer) > MAX_HEAD_BYTES:
            raise HttpError(431, "request headers too large")
        return None
    lines = buffer[:end].decode("latin-1").split("\r\n")
    try:
        method, target, _version = lines[0].split(" ", 2)
    except ValueError:
        raise HttpError(400, "malformed request line")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Request(method, target.split("?", 1)[0], headers, end + 4)


def body_of(head, buffer):
    """(body, end offset in buffer) once the whole body is there, else None."""
    if "chunked" in head.headers.get("transfer-encoding", "").lower():
        return chunked_body(buffer, head.body_start)
    try:
        length = int(head.headers.get("content-length", "0") or 0)
    except ValueError:
        raise HttpError(400, "content-length is not a number")
    end = head.body_start + length
    if len(buffer) < end:
        return None
    return bytes(buffer[head.body_start:end]), end


def chunked_body(buffer, at):
    body = bytearray()
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        try:
            size = int(bytes(buffer[at:line_end]).split(b";")[0].strip(), 16)
        except ValueError:
            raise HttpError(400, "malformed chunk size")
        at = line_end + 2
        if size == 0:
            end = buffer.find(b"\r\n", at)  # the empty line after the last chunk (no trailers)
            return None if end < 0 else (bytes(body), end + 2)
        if len(buffer) < at + size + 2:
            return None
        body += buffer[at:at + size]
        at += size + 2


def response_head(status, content_type, length, extra_headers, keep_alive):
    lines = [f"HTTP/1.1 {status} {STATUS_TEXT.get(status, 'Status')}",
             f"content-type: {content_type}", f"content-length: {length}",
             "connection: keep-alive" if keep_alive else "connection: close"]
    lines += [f"{name}: {value}" for name, value in extra_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def plain_response(status, text, keep_alive):
    raw = (text + "\n").encode()
    return response_head(status, "text/plain", len(raw), {}, keep_alive) + raw
