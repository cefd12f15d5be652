"""The console in a real headless Chromium, against a real `boxoffice serve` on a stadium:
log in, watch two seats sold over SOAP turn sold on the map, read the redacted call, and check
that another channel's operator sees none of it. Keep these few: each page load is real."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.console.conftest import ADMIN_LOGIN, ADMIN_PASSWORD
from tests.contract import catalog as contract
from tests.integration.test_catalog_load import stadium
from tests.system.conftest import RunningServer, launch_server, run_boxoffice, stop

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
REQUIRE_BROWSER = os.environ.get("BOXOFFICE_REQUIRE_BROWSER") == "1"
# Set to a folder to refresh the screenshots of docs/ (see docs/console.md).
SCREENSHOTS = os.environ.get("BOXOFFICE_CONSOLE_SCREENSHOTS")
PERFORMANCE = 101036924388
LOGIN_A, PASSWORD_A = "RESELLER_A_WS", "demo-a-secret"
LOGIN_B, PASSWORD_B = "RESELLER_B_WS", "demo-b-secret"
SEATS_TURN_SOLD_WITHIN_SECONDS = 5


def _require_browser() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        message = f"needs Debian's chromium and chromium-driver ({', '.join(missing)} missing)"
        if REQUIRE_BROWSER:
            pytest.fail(message + " and BOXOFFICE_REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """`boxoffice serve` on a 60,000-seat stadium (the demo's channels, plus an admin)."""
    _require_browser()
    working_dir = tmp_path_factory.mktemp("console-browser")
    document = stadium()
    document["salesChannels"][0]["operators"].append(
        {"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD, "administrator": True}
    )
    (working_dir / "stadium.json").write_text(json.dumps(document))
    database_url = f"sqlite:///{working_dir / 'console.db'}"
    loaded = run_boxoffice(["catalog", "load", "stadium.json"], working_dir, database_url)
    assert loaded.returncode == 0, loaded.stderr
    running = launch_server(working_dir, database_url)
    yield running
    stop(running.process)


@pytest.fixture(scope="module")
def driver(server: RunningServer) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="boxoffice-chromium-")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.implicitly_wait(0)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def base(server: RunningServer) -> str:
    return f"http://127.0.0.1:{server.port}/console"


def wait_for(condition: Any, seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def log_in(driver: Any, server: RunningServer, login: str, password: str) -> None:
    """Only the keyboard: the login field has the focus, Tab to the password, Enter."""
    from selenium.webdriver.common.keys import Keys

    driver.delete_all_cookies()
    driver.get(base(server) + "/login")
    # Chromium may apply autofocus a moment after the page has loaded, on a busy machine.
    assert wait_for(lambda: driver.switch_to.active_element.get_attribute("id") == "login")
    driver.switch_to.active_element.send_keys(login, Keys.TAB)
    driver.switch_to.active_element.send_keys(password, Keys.ENTER)
    assert wait_for(lambda: driver.current_url.endswith("/console/calls"))


def screenshot(driver: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SCREENSHOTS) / f"console-{name}.png"))


def open_map(driver: Any, server: RunningServer) -> float:
    """Opens the stadium's map; answers the milliseconds until its first painted frame."""
    driver.get(f"{base(server)}/seats/{PERFORMANCE}")
    painted = wait_for(
        lambda: driver.execute_script("return document.body.dataset.seatmapPaintedMs")
    )
    assert painted, "the seat map was never painted"
    assert wait_for(
        lambda: driver.execute_script("return document.body.dataset.seatStatesPolled")
    )  # following sales
    return float(painted)


def sell_two_seats(server: RunningServer) -> int:
    facade = server.client("ExternalOrderFacade", LOGIN_A, PASSWORD_A)
    orders = server.client("ExternalOrderService", LOGIN_A, PASSWORD_A)
    order_id = int(facade.createOrder(pointOfSalesId=466653735).orderUpdateData.orderId)
    added = facade.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": PERFORMANCE,
            "seatCategoryId": contract.CATEGORY_1,
            "audienceSubCategoryId": contract.ADULT,
            "quantity": 2,
        },
    )
    assert added.statusCode == "success", added
    assert orders.validateOrder(orderId=order_id).statusCode == "success"
    assert orders.closeOrder(orderId=order_id).statusCode == "success"
    return order_id


def test_a_60000_seat_stadium_is_painted_within_a_second(
    driver: Any, server: RunningServer, record_property: Any
) -> None:
    log_in(driver, server, ADMIN_LOGIN, ADMIN_PASSWORD)
    open_map(driver, server)  # the server lays the venue out once
    timings = [open_map(driver, server) for _ in range(5)]

    assert (
        driver.execute_script("return document.getElementById('seatmap-root').dataset.codes.length")
        == 60_000
    )
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # Seats by keyboard: the map takes the focus, arrows move a marked seat.
    driver.find_element(By.ID, "seatmap-root").send_keys(
        Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_DOWN
    )
    assert wait_for(
        lambda: (
            driver.execute_script("return document.querySelector('#seat-detail h2').textContent")
            == "Seat 2, row 2"
        )
    )
    assert "Stand 0" in driver.find_element(By.ID, "seat-detail").text
    record_property("stadium_paint_ms", timings)
    print(
        f"\n60,000-seat stadium painted after {timings} ms "
        f"(median {statistics.median(timings):.0f} ms)"
    )
    # The best of five: a machine busy with other work can delay any single load (the median
    # and the rest are printed and recorded; docs/performance.md has figures).
    assert min(timings) < 1000, f"painted after {timings} ms"


def test_seats_sold_over_soap_turn_sold_and_the_call_is_shown_redacted(
    driver: Any, server: RunningServer
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    log_in(driver, server, LOGIN_A, PASSWORD_A)
    open_map(driver, server)
    assert driver.find_elements(By.CSS_SELECTOR, "#changes rect.s") == []

    order_id = sell_two_seats(server)
    sold_at = time.monotonic()
    assert wait_for(
        lambda: len(driver.find_elements(By.CSS_SELECTOR, "#changes rect.s")) == 2,
        SEATS_TURN_SOLD_WITHIN_SECONDS,
    )
    print(f"\ntwo seats turned sold {time.monotonic() - sold_at:.2f} s after the sale")
    assert driver.find_element(By.CSS_SELECTOR, '[data-count="s"]').text == "2"

    driver.find_element(By.ID, "zoom").click()  # actual size: one seat is 8 pixels
    seat = driver.find_elements(By.CSS_SELECTOR, "#changes rect.s")[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", seat)
    ActionChains(driver).move_to_element(seat).click().perform()
    # Hover then click each fill the panel: read it by script, whichever answer came last.
    assert wait_for(
        lambda: (
            driver.execute_script(
                "const link = document.getElementById('seat-order');"
                "return link && link.textContent;"
            )
            == str(order_id)
        )
    )
    screenshot(driver, "seat-map")

    driver.get(f"{base(server)}/calls?operation=createOrder&order={order_id}")
    rows = driver.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 1
    screenshot(driver, "calls")
    rows[0].find_element(By.TAG_NAME, "a").click()
    request = driver.find_element(By.CSS_SELECTOR, "pre[aria-labelledby=request-heading]").text
    assert "<wsse:Username>RESELLER_A_WS</wsse:Username>" in request
    assert ">***</wsse:Password>" in request and PASSWORD_A not in driver.page_source
    screenshot(driver, "call")

    driver.get(f"{base(server)}/orders/{order_id}")
    assert "CLOSED" in driver.find_element(By.CSS_SELECTOR, "dl.details").text
    screenshot(driver, "order")

    log_in(driver, server, LOGIN_B, PASSWORD_B)
    driver.get(f"{base(server)}/calls")
    assert str(order_id) not in driver.find_element(By.TAG_NAME, "main").text
    driver.get(f"{base(server)}/orders/{order_id}")
    assert "No such order" in driver.page_source
    open_map(driver, server)
    assert driver.find_elements(By.CSS_SELECTOR, "#changes rect") == []
    codes = driver.execute_script("return document.getElementById('seatmap-root').dataset.codes")
    assert "s" not in codes and codes.count("o") == 30_000  # A's stands are outside B's
