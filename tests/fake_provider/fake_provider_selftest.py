#!/usr/bin/python3
"""Checks the fake provider over real HTTP: wire formats, determinism, billing, faults, limits, log."""
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = "sk-selftest-secret-4242"


class Fake:
    def __init__(self, *extra):
        self.dir = tempfile.TemporaryDirectory()
        self.port_file = os.path.join(self.dir.name, "port")
        self.log = os.path.join(self.dir.name, "requests.jsonl")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "fake_provider.py"), "--port", "0", "--port-file",
             self.port_file, "--log", self.log, "--api-key", KEY, *extra],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()  # blocks until the fake listens
        self.port = int(line.split()[-1])

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.dir.cleanup()

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def post(self, path, body, headers=None, connection=None):
        own = connection is None
        connection = connection or self.connection()
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        connection.request("POST", path, body=raw, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        if own:
            connection.close()
        return response, data

    def openai(self, body, key=KEY, connection=None):
        return self.post("/v1/chat/completions", body, {"Authorization": f"Bearer {key}"}, connection)

    def anthropic(self, body, key=KEY, version="2023-06-01"):
        headers = {"x-api-key": key}
        if version:
            headers["anthropic-version"] = version
        return self.post("/v1/messages", body, headers)

    def script(self, items):
        response, _ = self.post("/_control/script", items)
        assert response.status == 200

    def stats(self):
        connection = self.connection()
        connection.request("GET", "/_stats")
        stats = json.loads(connection.getresponse().read())
        connection.close()
        return stats

    def log_entries(self):
        with open(self.log) as handle:
            return [json.loads(line) for line in handle]


def chat(text, model="test-model"):
    return {"model": model, "messages": [{"role": "system", "content": "You write datasets."},
                                         {"role": "user", "content": text}]}


CHUNK = "Write 3 questions about this excerpt: start chest compressions within ten seconds of arrest."


class FakeProviderTest(unittest.TestCase):
    def setUp(self):
        self.fake = Fake()

    def tearDown(self):
        self.fake.close()

    def test_port_file_matches_the_announced_port(self):
        with open(self.fake.port_file) as handle:
            self.assertEqual(int(handle.read()), self.fake.port)

    def test_openai_reply_is_deterministic_and_billed_by_the_documented_formula(self):
        body = json.dumps(chat(CHUNK)).encode()
        first, raw_first = self.fake.openai(body)
        second, raw_second = self.fake.openai(body)
        self.assertEqual(first.status, 200)
        a, b = json.loads(raw_first), json.loads(raw_second)
        self.assertEqual(a["object"], "chat.completion")
        message = a["choices"][0]["message"]
        self.assertEqual(message["content"], b["choices"][0]["message"]["content"])
        self.assertNotIn("reasoning_content", message)
        pairs = json.loads(message["content"])["pairs"]
        self.assertEqual(len(pairs), 3)
        self.assertTrue(all(set(p) == {"question", "answer", "reasoning", "difficulty"} for p in pairs))
        self.assertTrue(any(word in pairs[0]["answer"] for word in CHUNK.split()))
        usage = a["usage"]
        self.assertEqual(usage["prompt_tokens"], math.ceil(len(body) / 4))
        self.assertEqual(usage["completion_tokens"], math.ceil(len(message["content"].encode()) / 4))
        self.assertEqual(usage["total_tokens"], usage["prompt_tokens"] + usage["completion_tokens"])

    def test_reasoner_models_return_reasoning_content(self):
        response, raw = self.fake.openai(chat(CHUNK, model="deepseek-reasoner"))
        self.assertEqual(response.status, 200)
        self.assertIn("reasoning_content", json.loads(raw)["choices"][0]["message"])

    def test_anthropic_wire_format_and_required_headers(self):
        body = {"model": "claude-test", "max_tokens": 512, "system": "You write datasets.",
                "messages": [{"role": "user", "content": [{"type": "text", "text": CHUNK}]}]}
        missing, raw = self.fake.anthropic(body, version=None)
        self.assertEqual(missing.status, 400)
        self.assertEqual(json.loads(raw)["error"]["type"], "invalid_request_error")
        response, raw = self.fake.anthropic(body)
        self.assertEqual(response.status, 200)
        reply = json.loads(raw)
        self.assertEqual((reply["type"], reply["role"], reply["stop_reason"]), ("message", "assistant", "end_turn"))
        self.assertEqual(len(json.loads(reply["content"][0]["text"])["pairs"]), 3)
        self.assertEqual(set(reply["usage"]), {"input_tokens", "output_tokens", "cache_creation_input_tokens",
                                               "cache_read_input_tokens"})

    def test_wrong_key_is_refused_in_each_format(self):
        response, raw = self.fake.openai(chat(CHUNK), key="sk-wrong")
        self.assertEqual(response.status, 401)
        self.assertEqual(json.loads(raw)["error"]["code"], "invalid_api_key")
        response, raw = self.fake.anthropic({"model": "c", "max_tokens": 1, "messages": []}, key="sk-wrong")
        self.assertEqual(response.status, 401)
        self.assertEqual(json.loads(raw)["error"]["type"], "authentication_error")

    def test_script_injects_statuses_retry_after_and_broken_bodies_in_order(self):
        self.fake.script([{"status": 500}, {"status": 429, "retry_after": "2"}, {"status": 529},
                          {"status": 403}, {"reply": "truncated"}, {"reply": "malformed"}])
        statuses = []
        for _ in range(6):
            response, raw = self.fake.anthropic({"model": "c", "max_tokens": 5, "messages": [
                {"role": "user", "content": "hi"}]})
            statuses.append(response.status)
            if response.status == 429:
                self.assertEqual(response.getheader("retry-after"), "2")
            if response.status == 529:
                self.assertEqual(json.loads(raw)["error"]["type"], "overloaded_error")
            if len(statuses) >= 5:
                with self.assertRaises(ValueError):
                    json.loads(raw)
        self.assertEqual(statuses, [500, 429, 529, 403, 200, 200])
        response, _ = self.fake.openai(chat(CHUNK))
        self.assertEqual(response.status, 200)
        self.assertEqual([e["success"] for e in self.fake.log_entries()], [False] * 6 + [True])

    def test_reply_modes_change_the_shape_of_the_text(self):
        self.fake.script([{"reply_mode": "fenced"}, {"reply_mode": "think"}, {"reply_mode": "broken"},
                          {"reply_mode": "empty"}])
        texts = [json.loads(self.fake.openai(chat(CHUNK))[1])["choices"][0]["message"]["content"]
                 for _ in range(4)]
        self.assertTrue(texts[0].startswith("Here are the pairs:\n```json\n"))
        self.assertTrue(texts[1].startswith("<think>"))
        with self.assertRaises(ValueError):
            json.loads(texts[2])
        self.assertEqual(json.loads(texts[3]), {"pairs": []})

    def test_rate_limit_answers_429_with_retry_after_and_limit_headers(self):
        response, _ = self.fake.post("/_control/config", {"rpm": 6, "burst": 1})
        self.assertEqual(response.status, 200)
        first, _ = self.fake.openai(chat(CHUNK))
        second, _ = self.fake.openai(chat(CHUNK))
        self.assertEqual((first.status, second.status), (200, 429))
        self.assertGreaterEqual(int(second.getheader("retry-after")), 9)
        self.assertEqual(first.getheader("x-ratelimit-limit-requests"), "6")
        self.assertEqual(second.getheader("x-ratelimit-remaining-requests"), "0")

    def test_hang_holds_the_request_until_the_client_gives_up(self):
        self.fake.script([{"hang": True}])
        connection = self.fake.connection(timeout=0.3)
        with self.assertRaises(socket.timeout):
            self.fake.post("/v1/chat/completions", chat(CHUNK), {"Authorization": f"Bearer {KEY}"}, connection)
        connection.close()

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        connection = self.fake.connection()
        for _ in range(20):
            response, _ = self.fake.openai(chat(CHUNK), connection=connection)
            self.assertEqual(response.status, 200)
        connection.close()
        stats = self.fake.stats()
        self.assertEqual(stats["requests"], 20)
        self.assertEqual(stats["successes"], 20)
        self.assertEqual(len({e["connection"] for e in self.fake.log_entries()}), 1)

    def test_chunked_bodies_and_pipelined_requests_are_framed_right(self):
        body = json.dumps(chat(CHUNK)).encode()
        chunked = (f"POST /v1/chat/completions HTTP/1.1\r\nAuthorization: Bearer {KEY}\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n").encode()
        chunked += b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:10], body[10:])) + b"0\r\n\r\n"
        plain = (f"POST /v1/chat/completions HTTP/1.1\r\nAuthorization: Bearer {KEY}\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        with socket.create_connection(("127.0.0.1", self.fake.port), timeout=10) as raw:
            raw.sendall(chunked + plain + b"GARBAGE\r\n\r\n")  # all at once, then the end
            raw.shutdown(socket.SHUT_WR)
            answers = b""
            while chunk := raw.recv(65536):
                answers += chunk
        self.assertEqual(answers.count(b"HTTP/1.1 200 OK"), 2)
        self.assertEqual(answers.count(b"HTTP/1.1 400 Bad Request"), 1)
        self.assertTrue(answers.rstrip().endswith(b"malformed request line"))
        self.assertEqual(len({e["body_sha256"] for e in self.fake.log_entries()}), 1)  # the same body twice

    def test_log_never_contains_the_key_and_records_auth_validity(self):
        self.fake.openai(chat(CHUNK))
        self.fake.openai(chat(CHUNK), key="sk-wrong")
        with open(self.fake.log) as handle:
            text = handle.read()
        self.assertNotIn(KEY, text)
        self.assertNotIn("sk-wrong", text)
        self.assertEqual([e["auth_valid"] for e in self.fake.log_entries()], [True, False])


class WorkersTest(unittest.TestCase):
    def test_several_workers_share_the_port_and_the_log(self):
        fake = Fake("--workers", "2")
        try:
            for _ in range(30):
                self.assertEqual(fake.openai(chat(CHUNK))[0].status, 200)
            entries = fake.log_entries()
            self.assertEqual(len(entries), 30)
            self.assertTrue(all(e["success"] for e in entries))
        finally:
            fake.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
