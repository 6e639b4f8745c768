#!/usr/bin/python3
"""The baseline: the same requests from Python asyncio + aiohttp with a semaphore. One JSON line out."""
import argparse
import asyncio
import json
import resource
import time

import aiohttp


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(url, requests, concurrency):
    semaphore = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    headers = {"Authorization": "Bearer sk-bench", "Content-Type": "application/json"}
    ok = 0

    async def one(session, i):
        nonlocal ok
        body = json.dumps({"model": "bench-model", "messages": [
            {"role": "user", "content": f"Write 1 question about item {i}."}]})
        async with semaphore:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status == 200:
                    ok += 1

    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(one(session, i) for i in range(requests)))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=512)
    args = parser.parse_args()
    cpu_start, start = cpu_seconds(), time.monotonic()
    ok = asyncio.run(run(args.url, args.requests, args.concurrency))
    wall, cpu = time.monotonic() - start, cpu_seconds() - cpu_start
    print(json.dumps({"client": "python-aiohttp", "requests": args.requests, "ok": ok,
                      "concurrency": args.concurrency, "wall_s": round(wall, 3),
                      "requests_per_s": round(args.requests / wall, 1), "cpu_s": round(cpu, 3),
                      "cpu_us_per_request": round(cpu / args.requests * 1e6, 1)}))


if __name__ == "__main__":
    main()
