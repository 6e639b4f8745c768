#!/usr/bin/python3
"""A fake LLM provider for tests and benches: a real HTTP/1.1 server on 127.0.0.1.

It speaks the OpenAI chat-completions and the Anthropic messages wire formats, answers with
deterministic Q&A replies, and injects faults on demand (a control script) or at seeded random
rates. Standard library only: asyncio with a Protocol per connection (fake_http.py) and the
replies in fake_replies.py, so one process sustains thousands of keep-alive requests per second;
`--workers N` forks N processes, each with its own socket on the port, when one core is not enough.

Billing (what tests compare against budgets):
  prompt_tokens     = ceil(len(request body in bytes) / 4)
  completion_tokens = ceil(len(reply content in UTF-8 bytes, plus reasoning_content if any) / 4)
Failed requests bill nothing.

Control API (per worker process; use --workers 1 when a test relies on it):
  POST /_control/script  a JSON list; item i decides what the i-th next API request gets. Keys:
        status (int), retry_after (str), headers ({name: value}), body (str, raw),
        delay_ms (answer late), hang (never answer; waits for the client to give up),
        stall_after_bytes (send the headers and this many body bytes, then stall),
        reply ("truncated": complete HTTP, JSON cut in half; "malformed": not JSON;
               "reset": close the connection half-way through the body),
        reply_mode (json|fenced|think|broken|empty: the shape of the assistant text).
  POST /_control/config  {"reply_mode", "latency_ms", "rpm", "api_key"} changes the options.
  POST /_control/reset   clears the script and the counters.
  GET  /_stats           counters as JSON.

Once listening it writes the port to --port-file (atomically) and prints
"fake_provider listening on 127.0.0.1 port N" on stdout.
"""
import argparse
import asyncio
import hashlib
import json
import math
import os
import random
import signal
import socket
import sys
import time

from fake_http import HttpConnection, plain_response, response_head
from fake_replies import REPLY_MODES, WORD, error_body, last_user_text, reply_text


class TokenBucket:
    """Requests per minute as a continuously refilled bucket (burst = one second's worth)."""

    def __init__(self, rpm, burst):
        self.rate = rpm / 60.0
        self.capacity = max(1.0, burst if burst > 0 else self.rate)
        self.tokens = self.capacity
        self.stamp = time.monotonic()

    def _refill(self, now):
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self):
        now = time.monotonic()
        self._refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True, 0.0
        return False, (1.0 - self.tokens) / self.rate

    def remaining(self):
        self._refill(time.monotonic())
        return int(self.tokens)


class FakeProvider:
    """The provider behind every connection of one worker process (see fake_http.HttpConnection)."""

    def __init__(self, args, worker_index):
        self.args = args
        self.reply_mode = args.reply_mode
        self.latency_s = args.latency_ms / 1000.0
        self.api_key = args.api_key
        self.bucket = TokenBucket(args.rpm, args.burst) if args.rpm > 0 else None
        self.rng = random.Random(args.seed * 1000003 + worker_index)
        self.script = []
        self.seen_prefixes = set()
        self.log_fd = None
        if args.log:
            self.log_fd = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        self.pid = os.getpid()
        self.reset_counters()

    def reset_counters(self):
        self.stats = {"requests": 0, "successes": 0, "connections": 0, "open_connections": 0,
                      "max_open_connections": 0, "in_flight": 0, "max_in_flight": 0,
                      "prompt_tokens": 0, "completion_tokens": 0, "by_status": {},
                      "faults": {}, "pid": self.pid}

    # ---- connections ---------------------------------------------------------------------------

    def opened(self):
        s = self.stats
        s["connections"] += 1
        s["open_connections"] += 1
        s["max_open_connections"] = max(s["max_open_connections"], s["open_connections"])
        return f"{self.pid}-{s['connections']}"

    def closed(self):
        self.stats["open_connections"] -= 1

    def handle(self, connection, request):
        method, path, headers, body = request.method, request.path, request.headers, request.body
        keep_alive = headers.get("connection", "").lower() != "close"
        if path == "/_stats" and method == "GET":
            connection.answer(json_response(200, self.stats, keep_alive), keep_alive)
        elif path.startswith("/_control/") and method == "POST":
            status, answer = self.control(path, body)
            connection.answer(json_response(status, answer, keep_alive), keep_alive)
        elif path not in ("/v1/chat/completions", "/v1/messages"):
            connection.answer(plain_response(404, f"no route {path}; use /v1/chat/completions or /v1/messages",
                                             keep_alive), keep_alive)
        elif method != "POST":
            connection.answer(plain_response(405, "use POST", keep_alive), keep_alive)
        else:
            s = self.stats
            s["requests"] += 1
            s["in_flight"] += 1
            s["max_in_flight"] = max(s["max_in_flight"], s["in_flight"])
            self.receive_api(connection, path, headers, body, keep_alive)

    def api_done(self):
        self.stats["in_flight"] -= 1

    # ---- API requests: decided on arrival, answered after the latency ---------------------------

    def receive_api(self, connection, path, headers, body, keep_alive):
        anthropic = path == "/v1/messages"
        digest = hashlib.sha256(body).digest()  # the log's hash, the reply id and the reply's choices
        entry = {"time": time.time(), "path": path, "model": None, "body_sha256": digest.hex(),
                 "connection": connection.id, "status": 0, "prompt_tokens": 0, "completion_tokens": 0,
                 "success": False, "auth_valid": None, "fault": None}
        plan = self.script.pop(0) if self.script else self.random_fault()
        if plan.get("fault_name"):
            entry["fault"] = plan["fault_name"]
            self.stats["faults"][plan["fault_name"]] = self.stats["faults"].get(plan["fault_name"], 0) + 1
        try:
            request = json.loads(body) if body else None
        except ValueError:
            request = None
        if isinstance(request, dict):
            entry["model"] = request.get("model")
        entry["auth_valid"] = self.check_auth(headers, anthropic)
        call = (connection, anthropic, headers, body, digest, request, plan, entry, keep_alive)
        wait_s = self.latency_s + (plan["delay_ms"] / 1000.0 if plan.get("delay_ms") else 0.0)
        if wait_s > 0:
            connection.later(wait_s, self.answer_api, *call)
        else:
            self.answer_api(*call)

    def answer_api(self, connection, anthropic, headers, body, digest, request, plan, entry, keep_alive):
        if plan.get("hang"):
            entry["status"] = 0
            self.write_log(entry)
            connection.hold(b"", self.args.hang_s, self.api_done)
            return
        status, payload, extra_headers = self.decide(anthropic, headers, request, plan, entry["auth_valid"])
        if status == 200:
            mode = plan.get("reply_mode", self.reply_mode)
            payload, prompt_tokens, completion_tokens = self.success_body(anthropic, request, body, digest, mode)
            entry["prompt_tokens"], entry["completion_tokens"] = prompt_tokens, completion_tokens

        raw = plan["body"].encode() if "body" in plan else json.dumps(payload).encode()
        reply = plan.get("reply")
        if reply == "malformed":
            raw = b"<html><body>upstream proxy error</body></html>"
        elif reply == "truncated":
            raw = raw[: len(raw) // 2]
        success = status == 200 and reply not in ("malformed", "truncated", "reset") \
            and "stall_after_bytes" not in plan and "body" not in plan
        entry["status"] = status
        entry["success"] = success
        if not success:
            entry["prompt_tokens"] = entry["completion_tokens"] = 0
        self.count(entry)
        self.write_log(entry)

        head = response_head(status, "application/json", len(raw), extra_headers, keep_alive)
        if reply == "reset":
            connection.reset(head + raw[: len(raw) // 2])
            self.api_done()
        elif "stall_after_bytes" in plan:
            connection.hold(head + raw[: int(plan["stall_after_bytes"])], self.args.hang_s, self.api_done)
        else:
            connection.answer(head + raw, keep_alive)
            self.api_done()

    def decide(self, anthropic, headers, request, plan, auth_valid):
        """(status, error payload or None, extra headers) for a request that gets an answer."""
        extra_headers = dict(plan.get("headers", {}))
        if "status" in plan and plan["status"] != 200:
            status = int(plan["status"])
            if plan.get("retry_after") is not None:
                extra_headers["retry-after"] = str(plan["retry_after"])
            return status, error_body(anthropic, status, plan.get("message", f"injected {status}")), extra_headers
        if not auth_valid:
            return 401, error_body(anthropic, 401, "invalid API key: set the key the fake was started with"), \
                extra_headers
        if anthropic and "anthropic-version" not in headers:
            return 400, error_body(True, 400, "anthropic-version: header is required"), extra_headers
        if not isinstance(request, dict) or not request.get("model") or not isinstance(request.get("messages"), list):
            return 400, error_body(anthropic, 400, "the body must be a JSON object with 'model' and 'messages'"), \
                extra_headers
        if anthropic and not isinstance(request.get("max_tokens"), int):
            return 400, error_body(True, 400, "max_tokens: Field required"), extra_headers
        if self.bucket is not None:
            allowed, wait_s = self.bucket.take()
            extra_headers.update(self.rate_limit_headers(anthropic, wait_s))
            if not allowed:
                extra_headers["retry-after"] = str(max(1, math.ceil(wait_s)))
                return 429, error_body(anthropic, 429, "rate limit reached for requests; retry after the "
                                       "retry-after header"), extra_headers
        return 200, None, extra_headers

    # ---- pieces --------------------------------------------------------------------------------

    def check_auth(self, headers, anthropic):
        if self.api_key is None:
            return True
        if anthropic:
            return headers.get("x-api-key") == self.api_key
        return headers.get("authorization") == f"Bearer {self.api_key}"

    def random_fault(self):
        a = self.args
        u = self.rng.random()
        for rate, plan in ((a.fault_rate_500, {"status": 500, "fault_name": "500"}),
                           (a.fault_rate_529, {"status": 529, "fault_name": "529"}),
                           (a.fault_rate_timeout, {"hang": True, "fault_name": "timeout"}),
                           (a.fault_rate_malformed, {"reply": "malformed", "fault_name": "malformed"}),
                           (a.fault_rate_truncated, {"reply": "truncated", "fault_name": "truncated"})):
            if u < rate:
                return dict(plan)
            u -= rate
        return {}

    def rate_limit_headers(self, anthropic, wait_s):
        limit = int(self.bucket.rate * 60)
        remaining = self.bucket.remaining()
        if anthropic:
            reset = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + wait_s + 1))
            return {"anthropic-ratelimit-requests-limit": str(limit),
                    "anthropic-ratelimit-requests-remaining": str(remaining),
                    "anthropic-ratelimit-requests-reset": reset}
        return {"x-ratelimit-limit-requests": str(limit),
                "x-ratelimit-remaining-requests": str(remaining),
                "x-ratelimit-reset-requests": f"{wait_s:.3f}s"}

    def success_body(self, anthropic, request, body, digest, mode):
        user_text, stable_prefix = last_user_text(request, anthropic)
        content = reply_text(digest, user_text, mode)
        model = request["model"]
        reasoning = None
        if not anthropic and "reasoner" in model:
            reasoning = f"The excerpt is about {' '.join(WORD.findall(user_text)[:6])}; I will ask about it."
        prompt_tokens = math.ceil(len(body) / 4)
        completion_tokens = math.ceil((len(content.encode()) + len((reasoning or "").encode())) / 4)
        cached = 0
        if self.args.prompt_cache and stable_prefix:
            if stable_prefix in self.seen_prefixes:
                cached = min(prompt_tokens, math.ceil(len(stable_prefix.encode()) / 4))
            self.seen_prefixes.add(stable_prefix)
        reply_id = digest.hex()[:24]
        if anthropic:
            payload = {"id": f"msg_{reply_id}", "type": "message", "role": "assistant", "model": model,
                       "content": [{"type": "text", "text": content}], "stop_reason": "end_turn",
                       "stop_sequence": None,
                       "usage": {"input_tokens": prompt_tokens - cached, "output_tokens": completion_tokens,
                                 "cache_creation_input_tokens": 0, "cache_read_input_tokens": cached}}
        else:
            message = {"role": "assistant", "content": content}
            if reasoning is not None:
                message["reasoning_content"] = reasoning
            usage = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                     "total_tokens": prompt_tokens + completion_tokens}
            if self.args.prompt_cache:
                usage["prompt_cache_hit_tokens"] = cached
                usage["prompt_cache_miss_tokens"] = prompt_tokens - cached
            payload = {"id": f"chatcmpl-{reply_id}", "object": "chat.completion", "created": int(time.time()),
                       "model": model, "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                       "usage": usage}
        return payload, prompt_tokens, completion_tokens

    def count(self, entry):
        s = self.stats
        key = str(entry["status"])
        s["by_status"][key] = s["by_status"].get(key, 0) + 1
        if entry["success"]:
            s["successes"] += 1
            s["prompt_tokens"] += entry["prompt_tokens"]
            s["completion_tokens"] += entry["completion_tokens"]

    def write_log(self, entry):
        if self.log_fd is not None:
            # One write per line on an O_APPEND descriptor: lines from several workers never interleave.
            os.write(self.log_fd, (json.dumps(entry, separators=(",", ":")) + "\n").encode())

    def control(self, path, body):
        try:
            data = json.loads(body) if body else None
        except ValueError:
            return 400, {"error": "the control body must be JSON"}
        if path == "/_control/script":
            if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
                return 400, {"error": "the script must be a JSON list of objects"}
            self.script = [dict(item, fault_name="script") for item in data]
            return 200, {"scripted": len(self.script)}
        if path == "/_control/config":
            if not isinstance(data, dict):
                return 400, {"error": "the config must be a JSON object"}
            if "reply_mode" in data:
                if data["reply_mode"] not in REPLY_MODES:
                    return 400, {"error": f"reply_mode must be one of {', '.join(REPLY_MODES)}"}
                self.reply_mode = data["reply_mode"]
            if "latency_ms" in data:
                self.latency_s = float(data["latency_ms"]) / 1000.0
            if "rpm" in data:
                self.bucket = TokenBucket(float(data["rpm"]), float(data.get("burst", 0))) if data["rpm"] else None
            if "api_key" in data:
                self.api_key = data["api_key"]
            return 200, {"ok": True}
        if path == "/_control/reset":
            self.script = []
            self.reset_counters()
            return 200, {"ok": True}
        return 404, {"error": f"unknown control path {path}"}


def json_response(status, payload, keep_alive):
    raw = json.dumps(payload).encode()
    return response_head(status, "application/json", len(raw), {}, keep_alive) + raw


# ---- processes --------------------------------------------------------------------------------------

def run_worker(args, listener, worker_index):
    async def main():
        provider = FakeProvider(args, worker_index)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: HttpConnection(provider), sock=listener, backlog=4096)
        stop = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        async with server:
            await stop
    asyncio.run(main())


def die_with_parent():
    """A killed parent (tests use SIGKILL) must not leave workers holding the port."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def write_port_file(path, port):
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w") as handle:
        handle.write(f"{port}\n")
    os.replace(temporary, path)  # atomic: a reader never sees a half-written port


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--workers", type=int, default=1, help="processes sharing the socket")
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--rpm", type=float, default=0, help="requests per minute; 0 = no limit")
    parser.add_argument("--burst", type=float, default=0, help="bucket size; default one second's worth")
    parser.add_argument("--api-key", help="expected key; absent = any key is accepted")
    parser.add_argument("--reply-mode", choices=REPLY_MODES, default="json")
    parser.add_argument("--log", help="JSONL request log (never contains the key)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prompt-cache", action="store_true", help="report cache hits on repeated system prompts")
    parser.add_argument("--hang-s", type=float, default=600, help="how long a hung request waits at most")
    for fault in ("500", "529", "timeout", "malformed", "truncated"):
        parser.add_argument(f"--fault-rate-{fault}", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.workers > 1 and args.rpm > 0:
        parser.error("--rpm needs --workers 1: the token bucket lives in one process")
    return args


def listening_socket(host, port):
    # SO_REUSEPORT: each worker has its own socket on the same port and the kernel spreads new
    # connections across them evenly (one shared socket lets the quickest process take most).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind((host, port))
    listener.listen(4096)
    listener.setblocking(False)
    return listener


def main(argv):
    args = parse_args(argv)
    listener = listening_socket(args.host, args.port)
    port = listener.getsockname()[1]
    children = []
    for index in range(1, args.workers):
        own = listening_socket(args.host, port)  # bound before the port is announced
        pid = os.fork()
        if pid == 0:
            die_with_parent()
            listener.close()
            run_worker(args, own, index)
            os._exit(0)
        own.close()
        children.append(pid)

    def stop_children(*_):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    if args.port_file:
        write_port_file(args.port_file, port)
    # Also on stdout, so a parent holding the pipe can block on it instead of watching the file.
    print(f"fake_provider listening on 127.0.0.1 port {port}", flush=True)
    try:
        run_worker(args, listener, 0)
    finally:
        stop_children()
        for pid in children:
            os.waitpid(pid, 0)


if __name__ == "__main__":
    main(sys.argv[1:])
