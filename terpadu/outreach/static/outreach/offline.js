// Offline-tolerant forms (the reporter's page, the field worker's visit note): a form with
// data-offline-queue="<name>" is kept on the phone while offline and sent when the network
// is back. Each submission carries a client-generated id; the server keeps the first one
// with that id, so sending twice never records it twice.
//
// data-queue-status="<id>"  where to say what is waiting
// data-queue-list="<id>"    optional list that shows each submission and its answer
// data-queue-label="a,b"    form fields naming a submission in that list
// data-sw="<url>"           optional service worker that caches the page

const form = document.querySelector("form[data-offline-queue]");
const DB_NAME = `terpadu-${form ? form.dataset.offlineQueue : "queue"}`;
const STORE = "queue";
const statusBox = form && document.getElementById(form.dataset.queueStatus);
const list = form && form.dataset.queueList ? document.getElementById(form.dataset.queueList) : null;
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
function say(text) { if (statusBox) statusBox.textContent = text; }

function showItem(item, text, pending) {
  if (!list) return;
  list.querySelector(".empty")?.remove();
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

let waitingShown = false;

async function refreshStatus() {
  const items = (await queueAll()).filter((item) => !item.action || item.action === form.action);
  if (items.length) {
    say(`${items.length} isian tersimpan di HP, menunggu sinyal untuk dikirim.`);
    waitingShown = true;
    items.forEach((item) => showItem(item, "menunggu dikirim", true));
  } else if (waitingShown) {
    say("");
    waitingShown = false;
  }
  return items;
}

async function send(item) {
  const body = new FormData();
  for (const [name, value] of item.fields) body.append(name, value);
  if (item.photo) body.append(item.photoField || "photo", item.photo, item.photoName || "foto.jpg");
  const response = await fetch(item.action || form.action, {
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
      // items queued on another page (another case) are sent from there, or from here:
      // each carries its own address
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
        if (!list) { say(data.status || "Terkirim."); waitingShown = false; }
      } else if (data && response.status >= 400 && response.status < 500) {
        await queueDelete(item.client_id); // the report itself is wrong: sending again will not help
        const first = (data.errors && data.errors[0] && data.errors[0].message) || data.detail;
        showItem(item, `ditolak: ${first}`, false);
        if (!list) { say(`Ditolak: ${first}`); waitingShown = false; }
      } else {
        say("Sesi habis atau server sibuk. Silakan masuk lagi; isian tetap tersimpan di HP.");
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
    const fileInput = form.querySelector("input[type=file]");
    const photo = fileInput ? data.get(fileInput.name) : null;
    if (fileInput) data.delete(fileInput.name);
    const label = (form.dataset.queueLabel || "").split(",").filter(Boolean).map((name) => {
      const field = form.elements[name];
      if (field && field.tagName === "SELECT") return field.options[field.selectedIndex].text;
      return field ? field.value.slice(0, 40) : "";
    }).join(" · ");
    const item = {
      client_id: clientId,
      action: form.action,
      fields: [...data.entries()].filter(([, v]) => typeof v === "string"),
      photo: photo && photo.size ? photo : null,
      photoField: fileInput ? fileInput.name : "photo",
      photoName: photo && photo.name,
      label,
      queued_at: Date.now(),
    };
    await queuePut(item);
    form.reset();
    showItem(item, "menunggu dikirim", true);
    say("Tersimpan di HP.");
    await flush();
  });
  window.addEventListener("online", flush);
  form.dataset.ready = "1"; // the offline queue is in charge of this form from now on
  setInterval(() => { if (navigator.onLine) flush(); }, 30000);
  if ("serviceWorker" in navigator && form.dataset.sw) {
    navigator.serviceWorker.register(form.dataset.sw).catch(() => {});
  }
  refreshStatus().then((items) => { if (items.length && navigator.onLine) flush(); });
}
