// The hall board: polls the board JSON (ETag → 304 when nothing changed), redraws,
// and announces each new call with a chime and Indonesian speech. Keeps polling
// through network drops and server restarts; never reloads the page.
const root = document.querySelector("[data-board-url]");
const url = root.dataset.boardUrl;
const chime = new Audio(root.dataset.chime);
const every = Number(root.dataset.interval || 1000);
let etag = null;
let lastEvent = Number(root.dataset.lastEvent || 0);
let soundOn = false;
let speaking = false;
const pending = [];

const $ = (sel) => root.querySelector(sel);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function render(data) {
  const latest = data.calls[0];
  const now = $("#now-calling");
  if (latest) {
    $("#now-ticket").textContent = latest.ticket;
    $("#now-counter").textContent = `Loket ${latest.counter}`;
  }
  const recent = $("#recent-list");
  recent.replaceChildren(
    ...data.calls.slice(1, 6).map((c) => {
      const li = el("li");
      li.append(el("span", c.ticket), el("span", `Loket ${c.counter}`, "to"));
      return li;
    }),
  );
  const counters = $("#counter-list");
  counters.replaceChildren(
    ...data.counters.map((c) => {
      const li = el("li", null, c.status);
      li.append(el("span", `Loket ${c.number} `, "num"));
      const state = c.status === "open" ? (c.ticket || "—") : (c.status === "paused" ? "istirahat" : "tutup");
      li.append(el("span", state));
      return li;
    }),
  );
  const groups = $("#group-list");
  groups.replaceChildren(
    // the server counts up to 999 (a TV needs no more)
    ...data.groups.map((g) => el("li", `${g.letter} · ${g.name}: ${g.waiting >= 999 ? "999+" : g.waiting} menunggu`)),
  );
  return now;
}

function speak(text) {
  return new Promise((resolve) => {
    if (!("speechSynthesis" in window)) return resolve();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "id-ID";
    utterance.rate = 0.9;
    const voice = speechSynthesis.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith("id"));
    if (voice) utterance.voice = voice;
    utterance.onend = resolve;
    utterance.onerror = resolve;
    speechSynthesis.speak(utterance);
    setTimeout(resolve, 12000); // never hang the queue on a stuck engine
  });
}

function playChime() {
  return new Promise((resolve) => {
    chime.currentTime = 0;
    chime.onended = resolve;
    chime.play().catch(resolve);
    setTimeout(resolve, 2500);
  });
}

async function announce() {
  if (speaking) return;
  speaking = true;
  while (pending.length) {
    const call = pending.shift();
    $("#announce").textContent = call.speech;
    const box = $("#now-calling");
    box.classList.remove("flash");
    void box.offsetWidth;
    box.classList.add("flash");
    if (soundOn) {
      await playChime();
      await speak(call.speech);
    }
  }
  speaking = false;
}

function setLink(ok) {
  const node = $("#link-state");
  node.textContent = ok ? "Terhubung" : "Koneksi terputus — mencoba lagi…";
  node.classList.toggle("down", !ok);
}

async function poll() {
  try {
    const headers = etag ? { "If-None-Match": etag } : {};
    const response = await fetch(url, { headers, cache: "no-store" });
    if (response.status === 200) {
      etag = response.headers.get("ETag");
      const data = await response.json();
      render(data);
      const fresh = data.calls.filter((c) => c.event > lastEvent).reverse();
      if (fresh.length) {
        lastEvent = Math.max(...fresh.map((c) => c.event));
        pending.push(...fresh);
        announce();
      }
    }
    setLink(response.ok || response.status === 304);
  } catch (err) {
    setLink(false);
  } finally {
    setTimeout(poll, every);
  }
}

function tick() {
  const clock = $("#clock");
  clock.textContent = new Date().toLocaleTimeString("id-ID", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: root.dataset.timeZone || "Asia/Jakarta",
  });
}

$("#sound").addEventListener("click", () => {
  soundOn = !soundOn;
  $("#sound").textContent = soundOn ? "Matikan suara" : "Aktifkan suara";
  $("#sound").setAttribute("aria-pressed", String(soundOn));
  if (soundOn) {
    playChime();
    if ("speechSynthesis" in window) speechSynthesis.getVoices();
  }
});

root.dataset.ready = "1";
tick();
setInterval(tick, 10000);
poll();
