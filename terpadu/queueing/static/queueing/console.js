// Officer console shortcuts (documented on the page): N call next, U recall, M start,
// S finish, T no-show. Ignored while typing in a field. Buttons also carry accesskeys.
const keys = { n: "aksi-panggil", u: "aksi-ulang", m: "aksi-mulai", s: "aksi-selesai", t: "aksi-tidak-hadir" };

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const id = keys[event.key.toLowerCase()];
  if (!id) return;
  const button = document.getElementById(id);
  if (button && !button.disabled) {
    event.preventDefault();
    button.click();
  }
});
