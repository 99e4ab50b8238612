// The community reporter's page: keep reports on the phone while offline and send them
// when the network is back. Each report carries a client-generated id; the server keeps
// the first report with that id, so sending twice never opens two cases.

const DB_NAME = "terpadu-lapor";
const STORE = "queue";
const form = document.getElementById("report-form");
const statusBox = document.getElementById("queue-status");
const list = document.getElementById("my-reports");
let flushing = false;

function newId() {
  if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// --- storage: IndexedDB (keeps photos), localStorage without photos as a fallback ---
function openDb() {
  return new Promise((resolve, reject) => {
    if (!self.indexedDB) { reject(new Error("no indexedDB")); return; }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "client_id" });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function withStore(mode, fn) {
  try {
    const db = await openDb();
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  } catch (err) {
    return fallback(mode, fn);
  }
}

function fallback(mode, fn) {
  const key = `${DB_NAME}:${STORE}`;
  const items = JSON.parse(localStorage.getItem(key) || "[]");
  const store = {
    put(item) { const i = items.findIndex((x) => x.client_id === item.client_id); const copy = { ...item, photo: null }; if (i >= 0) items[i] = copy; else items.push(copy); return {}; },
    delete(id) { const i = items.findIndex((x) => x.client_id === id); if (i >= 0) items.splice(i, 1); return {}; },
    getAll() { return { result: items.slice() }; },
  };
  const result = fn(store);
  if (mode === "readwrite") localStorage.setItem(key, JSON.stringify(items));
  return result && "result" in result ? result.result : undefined;
}

const queueAll = () => withStore("readonly", (s) => s.getAll());
const queuePut = (item) => withStore("readwrite", (s) => s.put(item));
const queueDelete = (id) => withStore("readwrite", (s) => s.delete(id));

// --- the page ---
function say(text) { statusBox.textContent = text; }

function showItem(item, text, pending) {
  document.getElementById("no-reports")?.remove();
  let li = list.querySelector(`li[data-client="${item.client_id}"]`);
  if (!li) {
    li = document.createElement("li");
    li.dataset.client = item.client_id;
    list.prepend(li);
  }
  li.className = pending ? "pending-item" : "";
  li.textContent = `${item.label} — `;
  const strong = document.createElement("strong");
  strong.textContent = text;
  li.append(strong);
}

async function refreshStatus() {
  const items = await queueAll();
  if (items.length) {
    say(`${items.length} laporan tersimpan di HP, menunggu sinyal untuk dikirim.`);
    items.forEach((item) => showItem(item, "menunggu dikirim", true));
  } else {
    say("");
  }
  return items;
}

async function send(item) {
  const body = new FormData();
  for (const [name, value] of item.fields) body.append(name, value);
  if (item.photo) body.append("photo", item.photo, item.photoName || "foto.jpg");
  const response = await fetch(form.action, {
    method: "POST",
    body,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-Requested-With": "fetch" },
    redirect: "manual",
  });
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("application/json")) {
    data = await response.json();
  }
  return { response, data };
}

async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (const item of await queueAll()) {
      let outcome;
      try {
        outcome = await send(item);
      } catch (err) {
        break; // still offline: keep everything and wait for the "online" event
      }
      const { response, data } = outcome;
      if (response.ok && data) {
        await queueDelete(item.client_id);
        showItem(item, data.status || "Diterima", false);
      } else if (data && response.status >= 400 && response.status < 500) {
        await queueDelete(item.client_id); // the report itself is wrong: sending again will not help
        const first = (data.errors && data.errors[0] && data.errors[0].message) || data.detail;
        showItem(item, `ditolak: ${first}`, false);
      } else {
        say("Sesi habis atau server sibuk. Silakan masuk lagi; laporan tetap tersimpan di HP.");
        break;
      }
    }
  } finally {
    flushing = false;
    await refreshStatus();
  }
}

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    const clientId = newId();
    data.set("client_id", clientId);
    const photo = data.get("photo");
    data.delete("photo");
    const village = form.querySelector("#r-village");
    const item = {
      client_id: clientId,
      fields: [...data.entries()].filter(([, v]) => typeof v === "string"),
      photo: photo && photo.size ? photo : null,
      photoName: photo && photo.name,
      label: `${data.get("name")} · ${village.options[village.selectedIndex].text}`,
      queued_at: Date.now(),
    };
    await queuePut(item);
    form.reset();
    showItem(item, "menunggu dikirim", true);
    say("Laporan disimpan di HP.");
    await flush();
  });
  window.addEventListener("online", flush);
  setInterval(() => { if (navigator.onLine) flush(); }, 30000);
  if ("serviceWorker" in navigator && form.dataset.sw) {
    navigator.serviceWorker.register(form.dataset.sw, { scope: "/lapor/" }).catch(() => {});
  }
  refreshStatus().then((items) => { if (items.length && navigator.onLine) flush(); });
}
