"""FairShare: one call at a time per source address while sources compete, else no limit."""

from __future__ import annotations

import asyncio

import pytest

from boxoffice.serving.fair_share import FairShare


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def hold(share: FairShare, source: str, release: asyncio.Event, log: list[str]) -> None:
    async with share.turn(source):
        log.append(f"start {source}")
        await release.wait()
        log.append(f"end {source}")


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_a_source_alone_runs_all_its_calls_at_once() -> None:
    async def scenario() -> None:
        share, release, log = FairShare(1.0, Clock()), asyncio.Event(), []
        tasks = [asyncio.create_task(hold(share, "10.0.0.1", release, log)) for _ in range(5)]
        await settle()
        assert share.running("10.0.0.1") == 5 and share.waiting("10.0.0.1") == 0
        release.set()
        await asyncio.gather(*tasks)
        assert share.running("10.0.0.1") == 0

    asyncio.run(scenario())


def test_while_another_source_calls_each_source_runs_one_call_at_a_time_in_order() -> None:
    async def scenario() -> None:
        clock = Clock()
        share, log = FairShare(1.0, clock), []
        releases = [asyncio.Event() for _ in range(3)]
        other = asyncio.Event()
        honest = asyncio.create_task(hold(share, "127.0.0.1", other, log))
        await settle()
        flood = []
        for number, release in enumerate(releases):
            flood.append(asyncio.create_task(hold(share, "127.0.0.2", release, log)))
            await settle()
            log.append(f"sent {number}")
        # The honest call runs beside one call of the flood; the flood's others wait.
        assert share.running("127.0.0.2") == 1 and share.waiting("127.0.0.2") == 2
        assert share.running("127.0.0.1") == 1
        releases[0].set()
        await settle()
        assert share.running("127.0.0.2") == 1 and share.waiting("127.0.0.2") == 1
        releases[1].set()
        releases[2].set()
        other.set()
        await asyncio.gather(honest, *flood)
        starts = [entry for entry in log if entry == "start 127.0.0.2"]
        assert len(starts) == 3
        # Each flood call started only after the previous one ended.
        flood_events = [entry for entry in log if entry.endswith("127.0.0.2")]
        assert flood_events == ["start 127.0.0.2", "end 127.0.0.2"] * 3
        assert share.running("127.0.0.2") == 0 and share.waiting("127.0.0.2") == 0

    asyncio.run(scenario())


def test_once_the_other_source_is_quiet_for_the_window_the_waiting_calls_all_run() -> None:
    async def scenario() -> None:
        clock = Clock()
        share, log = FairShare(1.0, clock), []
        done = asyncio.Event()
        honest = asyncio.create_task(hold(share, "127.0.0.1", done, log))
        await settle()
        done.set()
        await honest
        first, rest = asyncio.Event(), asyncio.Event()
        flood = [asyncio.create_task(hold(share, "127.0.0.2", first, log))]
        flood += [asyncio.create_task(hold(share, "127.0.0.2", rest, log)) for _ in range(3)]
        await settle()
        assert share.running("127.0.0.2") == 1 and share.waiting("127.0.0.2") == 3
        clock.now += 1.5  # the honest source has not called for longer than the window
        first.set()
        await settle()
        assert share.running("127.0.0.2") == 3 and share.waiting("127.0.0.2") == 0
        rest.set()
        await asyncio.gather(*flood)

    asyncio.run(scenario())


def test_a_waiting_call_whose_client_goes_away_leaves_nothing_behind() -> None:
    async def scenario() -> None:
        share, log = FairShare(1.0, Clock()), []
        honest_release, flood_release = asyncio.Event(), asyncio.Event()
        honest = asyncio.create_task(hold(share, "127.0.0.1", honest_release, log))
        running = asyncio.create_task(hold(share, "127.0.0.2", flood_release, log))
        await settle()
        waiting = asyncio.create_task(hold(share, "127.0.0.2", flood_release, log))
        await settle()
        assert share.waiting("127.0.0.2") == 1
        waiting.cancel()
        await settle()
        assert share.waiting("127.0.0.2") == 0
        flood_release.set()
        honest_release.set()
        await asyncio.gather(honest, running)
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert share.running("127.0.0.2") == 0 and share.running("127.0.0.1") == 0
        assert log.count("start 127.0.0.2") == 1

    asyncio.run(scenario())


def test_a_call_cancelled_just_after_its_turn_came_passes_the_turn_on() -> None:
    async def scenario() -> None:
        share, log = FairShare(1.0, Clock()), []
        honest_release, first_release, last_release = (asyncio.Event() for _ in range(3))
        honest = asyncio.create_task(hold(share, "127.0.0.1", honest_release, log))
        first = asyncio.create_task(hold(share, "127.0.0.2", first_release, log))
        await settle()
        second = asyncio.create_task(hold(share, "127.0.0.2", last_release, log))
        await settle()
        third = asyncio.create_task(hold(share, "127.0.0.2", last_release, log))
        await settle()
        first_release.set()
        await asyncio.sleep(0)  # the first ends and hands its turn to the second...
        second.cancel()  # ...which is cancelled before it resumes
        await settle()
        assert share.running("127.0.0.2") == 1 and share.waiting("127.0.0.2") == 0
        last_release.set()
        honest_release.set()
        await asyncio.gather(honest, first, third)
        assert share.running("127.0.0.2") == 0

    asyncio.run(scenario())


def test_the_record_of_sources_forgets_those_quiet_for_the_window() -> None:
    async def scenario() -> None:
        clock = Clock()
        share = FairShare(1.0, clock)
        for number in range(10_000):
            async with share.turn(f"10.0.{number // 256}.{number % 256}"):
                pass
            clock.now += 0.01
        assert len(share._seen) <= 102

    asyncio.run(scenario())


def test_a_window_of_zero_turns_the_rule_off() -> None:
    async def scenario() -> None:
        share, release, log = FairShare(0, Clock()), asyncio.Event(), []
        tasks = [asyncio.create_task(hold(share, "127.0.0.1", release, log))]
        tasks += [asyncio.create_task(hold(share, "127.0.0.2", release, log)) for _ in range(3)]
        await settle()
        assert log.count("start 127.0.0.2") == 3
        release.set()
        await asyncio.gather(*tasks)

    asyncio.run(scenario())


def test_calls_already_running_when_another_source_arrives_finish_before_the_next_starts() -> None:
    async def scenario() -> None:
        share, log = FairShare(1.0, Clock()), []
        early = asyncio.Event()
        running = [asyncio.create_task(hold(share, "127.0.0.2", early, log)) for _ in range(4)]
        await settle()
        honest_release = asyncio.Event()
        honest = asyncio.create_task(hold(share, "127.0.0.1", honest_release, log))
        late = asyncio.Event()
        waiting = asyncio.create_task(hold(share, "127.0.0.2", late, log))
        await settle()
        assert share.running("127.0.0.2") == 4 and share.waiting("127.0.0.2") == 1
        early.set()
        await asyncio.gather(*running)
        await settle()
        # The four early calls ended one by one; only after the last did the waiting one start.
        assert share.running("127.0.0.2") == 1 and share.waiting("127.0.0.2") == 0
        flood = [entry for entry in log if entry.endswith("127.0.0.2")]
        assert flood == ["start 127.0.0.2"] * 4 + ["end 127.0.0.2"] * 4 + ["start 127.0.0.2"]
        late.set()
        honest_release.set()
        await asyncio.gather(honest, waiting)

    asyncio.run(scenario())
