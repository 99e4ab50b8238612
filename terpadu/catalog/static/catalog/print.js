// The "Cetak" button on the Standar Pelayanan sheet (the page prints fine without it).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("cetak");
  if (button) button.addEventListener("click", () => window.print());
});
