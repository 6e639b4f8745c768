"""What the fake provider says: the deterministic Q&A reply text and the error bodies of both wire
formats. The same request body always gets the same text, byte for byte."""
import itertools
import json
import re

REPLY_MODES = ("json", "fenced", "think", "broken", "empty")
ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
    404: "not_found_error", 408: "timeout_error", 413: "request_too_large", 429: "rate_limit_error",
    500: "api_error", 502: "api_error", 503: "api_error", 504: "api_error", 529: "overloaded_error",
}
OPENAI_ERROR_TYPES = {
    400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "unsupported_country_region_territory"),
    404: ("invalid_request_error", "model_not_found"), 429: ("requests", "rate_limit_exceeded"),
}
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
N_FROM_PROMPT = re.compile(r"[Ww]rite (\d+) question")
N_FROM_KEY = re.compile(r"questions_per_chunk\D{0,8}(\d+)")


def error_body(anthropic, status, message):
    if anthropic:
        return {"type": "error", "error": {"type": ANTHROPIC_ERROR_TYPES.get(status, "api_error"),
                                           "message": message}}
    kind, code = OPENAI_ERROR_TYPES.get(status, ("server_error", None))
    return {"error": {"message": message, "type": kind, "code": code}}


def content_text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(part.get("text", "") for part in content if isinstance(part, dict))
    return ""


def last_user_text(request, anthropic):
    """The last user message, and the stable system prefix a prompt cache would key on."""
    messages = request.get("messages") or []
    user = ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            user = content_text(message.get("content"))
            break
    if anthropic:
        system = content_text(request.get("system"))
    else:
        system = "\n".join(content_text(m.get("content")) for m in messages
                           if isinstance(m, dict) and m.get("role") == "system")
    return user, system


def pair_count(text):
    for pattern in (N_FROM_PROMPT, N_FROM_KEY):
        match = pattern.search(text)
        if match:
            return max(0, min(int(match.group(1)), 50))
    return 5


def reply_text(digest, user_text, mode):
    """digest: the SHA-256 of the request body, whose bytes make every choice."""
    # Choices come straight from digest bytes: seeding a Random per request cost a third of the reply.
    choice = itertools.cycle(digest)
    words = WORD.findall(user_text) or ["document", "section", "content", "context"]
    tokens = user_text.split() or words
    pairs = []
    difficulties = ("easy", "medium", "hard")
    stems = ("What does the text say about {a} and {b}?",
             "In a scenario involving {a}, how should {b} be handled?",
             "Why does the passage connect {a} with {b}?",
             "Which condition about {a} changes the outcome for {b}?")
    for i in range(0 if mode == "empty" else pair_count(user_text)):
        start = int.from_bytes((next(choice), next(choice)), "big") % len(tokens)
        quote = " ".join(tokens[start:start + 12])
        a, b = words[next(choice) % len(words)], words[next(choice) % len(words)]
        pairs.append({"question": stems[i % len(stems)].format(a=a, b=b),
                      "answer": f"According to the text: \"{quote}\".",
                      "reasoning": f"The passage mentions {a} near {b}, so the quoted sentence answers it.",
                      "difficulty": difficulties[i % 3]})
    text = json.dumps({"pairs": pairs})  # no indent: keeps the C encoder, several times faster
    if mode == "fenced":
        return f"Here are the pairs:\n```json\n{text}\n```\n"
    if mode == "think":
        return f"<think>The user wants {len(pairs)} pairs about {words[0]}.</think>\n{text}"
    if mode == "broken":
        if pairs:
            pairs[-1] = {"question": pairs[-1]["question"]}  # no answer: must be dropped
        whole = json.dumps({"pairs": pairs})
        return whole[: max(1, len(whole) - 25)]  # cut inside the last pair
    return text
