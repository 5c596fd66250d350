// Drives headless Chromium against a running `abridge serve` as an editor would: paste an
// article, summarize, hover and click brief sentences, check the highlighted source; paste and
// drop hostile articles and check nothing in them runs. Run by scripts/tests/browser.sh:
//
//   node browser.mjs BASE_URL [SCREENSHOT.png]
//
// Needs ABRIDGE_TEST_CHROMIUM (the browser) and ABRIDGE_TEST_NODE_MODULES (playwright-core).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const [base, screenshot] = process.argv.slice(2);
assert.ok(base, "usage: node browser.mjs BASE_URL [SCREENSHOT.png]");
const modules = process.env.ABRIDGE_TEST_NODE_MODULES;
const executablePath = process.env.ABRIDGE_TEST_CHROMIUM;
assert.ok(modules && executablePath, "ABRIDGE_TEST_NODE_MODULES and ABRIDGE_TEST_CHROMIUM must be set");
const { chromium } = createRequire(join(modules, "..", "package.json"))("playwright-core");

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name) => readFileSync(join(here, "fixtures", name), "utf8");

let step = "launch";
const log = (msg) => console.log(`browser test: ${msg}`);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Playwright gives every launch a fresh temporary profile (user-data-dir).
  args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  // (A 4xx the test provokes on purpose is logged by Chromium as a failed resource load.)
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 422/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  // Only our own server may be contacted.
  page.on("request", (r) => { if (!r.url().startsWith(base)) problems.push(`request to ${r.url()}`); });

  async function summarize(text, { sentences = 3, method = "news" } = {}) {
    await page.fill("#input", text);
    await page.selectOption("#unit", "sentences");
    await page.fill("#amount", String(sentences));
    await page.selectOption("#method", method);
    const done = page.waitForResponse((r) => r.url().endsWith("/v1/summarize"));
    await page.click("#go");
    const resp = await done;
    assert.equal(resp.status(), 200, `summarize answered ${resp.status()}`);
    await page.waitForSelector("#result:not([hidden])");
    return resp.json();
  }
  // The text of the article pieces highlighted now, in order.
  const highlighted = () => page.$$eval("#article .src.hl", (ns) => ns.map((n) => n.textContent).join(""));

  step = "load the page";
  await page.goto(base + "/");
  assert.equal(await page.title(), "abridge — brief an article");
  const methods = await page.$$eval("#method option", (os) => os.map((o) => o.value));
  assert.ok(methods.includes("news") && methods.includes("lead"), `methods: ${methods}`);
  log(`page loaded, methods ${methods.join(", ")}`);

  step = "summarize a real article";
  const article = fixture("cat-nurse.txt");
  const out = await summarize(article, { sentences: 3 });
  const items = await page.$$("#brief li button");
  assert.equal(items.length, 3, "three brief sentences");
  const shown = await page.$$eval("#brief li button .text", (ns) => ns.map((n) => n.textContent));
  assert.deepEqual(shown, out.sentences.map((s) => s.text));
  const articleText = await page.textContent("#article");
  assert.equal(articleText, out.document.text, "the article is shown verbatim");
  log(`brief: ${shown.map((s) => s.slice(0, 40) + "…").join(" | ")}`);

  step = "hover highlights the source";
  for (let k = 0; k < items.length; k++) {
    await items[k].hover();
    assert.equal(await highlighted(), out.sentences[k].text, `hovering sentence ${k}`);
  }
  step = "click highlights the source";
  await items[0].click();
  assert.equal(await highlighted(), out.sentences[0].text);
  assert.equal(await items[0].evaluate((b) => b.classList.contains("active")), true);

  step = "keyboard";
  await items[0].focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), "1");
  assert.equal(await highlighted(), out.sentences[1].text, "ArrowDown moves to sentence 2");
  await page.keyboard.press("Escape");
  assert.equal(await highlighted(), "", "Escape clears the highlight");
  // Tab from the button reaches the next brief sentence.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.dataset.index), "2");
  assert.equal(await highlighted(), out.sentences[2].text, "focus highlights");

  if (screenshot) {
    step = "screenshot";
    await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
    await items[1].hover();
    assert.equal(await highlighted(), out.sentences[1].text);
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`screenshot written to ${screenshot}`);
  }

  step = "hostile article pasted as text";
  const hostile = fixture("hostile.txt");
  const out2 = await summarize(hostile, { sentences: 3, method: "lead" });
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "nothing in the article ran");
  assert.equal(await page.title(), "abridge — brief an article");
  for (const tag of ["img", "script", "a", "b"]) {
    assert.equal(await page.$$eval(`#article ${tag}, #brief ${tag}`, (ns) => ns.length), 0, `no <${tag}> rendered`);
  }
  assert.ok((await page.textContent("#article")).includes('<img src=x onerror="window.__pwned = \'img\'">'),
    "the markup shows as text");
  // Astral and CJK characters precede the picked sentences: highlights must still match exactly.
  const items2 = await page.$$("#brief li button");
  for (let k = 0; k < items2.length; k++) {
    await items2[k].hover();
    assert.equal(await highlighted(), out2.sentences[k].text, `hostile sentence ${k}`);
  }
  log("hostile text: nothing ran, markup shown as text, emoji-offset highlights exact");

  step = "hostile page dropped as an .html file";
  const page_html = `<!doctype html><html><head><title>Flood shelters</title>
    <script>window.__pwned = "page script"</script></head><body><article>
    ${hostile.split("\n").filter(Boolean).map((l) => `<p>${l.replace(/</g, "&lt;")}</p>`).join("\n")}
    <p><img src=x onerror="window.__pwned='page img'">Officials said more shelters may follow next year.</p>
    </article></body></html>`;
  await page.setInputFiles("#file", { name: "flood.html", mimeType: "text/html", buffer: Buffer.from(page_html) });
  const done = page.waitForResponse((r) => r.url().endsWith("/v1/summarize"));
  await page.click("#go");
  const req = (await done).request();
  assert.ok(JSON.parse(req.postData()).html, "an .html file is sent as html");
  await page.waitForFunction(() => document.querySelector("#meta").textContent.includes("Flood shelters"));
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "nothing in the page ran");
  assert.equal(await page.$$eval("#article img, #article script", (ns) => ns.length), 0);
  log("hostile .html file: extracted, nothing ran");

  step = "unsupported claims are marked";
  // The extractive brief is backed by its article, so the server's report is edited on the way
  // to the page to say one claim is not: the page must mark exactly that sentence.
  await page.route("**/v1/summarize", async (route) => {
    const resp = await route.fetch();
    const body = await resp.json();
    const claim = body.faithfulness.claims[body.sentences[1].claims[0]];
    claim.verdict = "unsupported";
    claim.flags = [{ kind: "number", span: claim.span, text: "40", reason: "the source has no such number" }];
    await route.fulfill({ response: resp, json: body });
  });
  await summarize(article, { sentences: 3 });
  const classes = await page.$$eval("#brief li button", (bs) => bs.map((b) => b.className));
  assert.deepEqual(classes.map((c) => c.includes("unsupported")), [false, true, false], `classes ${classes}`);
  const note = await page.textContent("#brief li:nth-child(2) .verdict");
  assert.ok(note.includes("Not backed by the article") && note.includes("“40”"), note);
  assert.ok((await page.textContent("#score")).includes("1 claim(s) not backed"));
  await page.unroute("**/v1/summarize");
  log("unsupported claim marked");

  step = "errors are shown, not thrown";
  await page.fill("#input", "   ");
  await page.click("#go");
  assert.equal(await page.textContent("#status"), "Paste an article first.");
  await page.fill("#input", "\u0000\u0001\u0002 binary \u0000");
  const bad = page.waitForResponse((r) => r.url().endsWith("/v1/summarize"));
  await page.click("#go");
  assert.equal((await bad).status(), 422);
  await page.waitForFunction(() => document.querySelector("#status").className === "error");
  log(`server error shown: ${await page.textContent("#status")}`);

  step = "phone width";
  await page.setViewportSize({ width: 375, height: 740 });
  await summarize(article, { sentences: 2 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at 375px`);
  const [brief, art] = await page.$$eval(["#brief", "#article"].join(","), (ns) => ns.map((n) => n.getBoundingClientRect().top));
  assert.ok(art > brief, "brief and article stack on a phone");
  log("phone width: no sideways scroll, panels stacked");

  assert.deepEqual(problems, [], "no page errors, dialogs or foreign requests");
  log("all checks passed");
} catch (e) {
  console.error(`browser test FAILED at step "${step}": ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
