"""One `newsbrief run` replica for the replica test and the scale-out benchmark, as a process.

    python tests/replica_child.py DATABASE PLATFORM_URL NAME [--hold answered:K] [options]

It runs the real ``DigestScheduler`` (cron jobs, start-up catch-up, subscription sync, retries,
the leader lease over a stand-in feed poll) and the real ``DigestDelivery`` (claims, leases,
asking the platform after a crash) on the store at DATABASE, posting digests to a
``platform_fake.FakePlatform``. Only the feed fetching and the chat adapters are left out.

It prints ``ready``, then one line per event: ``sent CHANNEL OUTCOME`` for each digest this
replica handled, ``poll NAME`` each time it polls (only the lease holder polls), ``hold answered
CHANNEL`` where ``--hold`` stops it for good (the parent SIGKILLs it there). On SIGTERM it shuts
the scheduler down, prints ``usage CPU_S MAXRSS_KB`` (resource.getrusage of itself) and ``done``.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import signal
from datetime import date, timedelta

import aiohttp
from delivery_child import HoldingSink, Holds, StoreDigestBuilder

from bot.digests.delivery import DigestDelivery
from bot.digests.leases import LeaderLease
from bot.digests.scheduler import DigestScheduler
from bot.store import Subscription, open_store


def seconds(text: str) -> timedelta:
    return timedelta(seconds=float(text))


async def run(args: argparse.Namespace) -> None:
    holds = Holds(args.hold)
    store = await open_store(args.database)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=args.connections)
        ) as session:
            sink = HoldingSink(args.platform_url, session, holds)
            delivery = DigestDelivery(
                store, StoreDigestBuilder(store), {"slack": sink}, lease=args.lease
            )

            async def deliver(subscription: Subscription, day: date) -> None:
                outcome = await delivery.deliver(subscription, day)
                print(f"sent {subscription.channel} {outcome}", flush=True)

            async def poll() -> None:
                print(f"poll {args.name}", flush=True)

            scheduler = DigestScheduler(
                store,
                deliver,
                poll,
                poll_interval=args.poll,
                retry_delays=(args.retry,) * 60,
                leader=LeaderLease(store, holder=args.name, ttl=args.leader_ttl, renew=args.renew),
                sync_interval=args.sync,
            )
            print("ready", flush=True)
            starting = asyncio.create_task(scheduler.start())  # catch-up may hold for good
            await stop.wait()
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
            await scheduler.shutdown(grace_s=2.0)
    finally:
        await store.aclose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"usage {usage.ru_utime + usage.ru_stime:.3f} {usage.ru_maxrss}", flush=True)
    print("done", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("platform_url")
    parser.add_argument("name")
    parser.add_argument("--hold", help="answered:K stops for good after the K-th post's answer")
    parser.add_argument("--lease", type=seconds, default=timedelta(seconds=1.5))
    parser.add_argument("--leader-ttl", type=seconds, default=timedelta(seconds=3))
    parser.add_argument("--renew", type=seconds, default=timedelta(seconds=1))
    parser.add_argument("--sync", type=seconds, default=timedelta(seconds=1))
    parser.add_argument("--poll", type=seconds, default=timedelta(seconds=1))
    parser.add_argument("--retry", type=seconds, default=timedelta(seconds=1))
    parser.add_argument("--connections", type=int, default=100)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
