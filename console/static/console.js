// A table wider than the screen scrolls sideways on its own (see console.css). Keyboard users reach such a
// table with Tab and scroll it with the arrow keys, so it takes focus while, and only while, it scrolls.
function focusWideTables() {
  for (const wide of document.querySelectorAll("table, .table-wrap")) {
    const scrolls = wide.scrollWidth > wide.clientWidth;
    if (scrolls && !wide.hasAttribute("tabindex")) {
      wide.tabIndex = 0;
      wide.dataset.scrollFocus = "on";
    } else if (!scrolls && wide.dataset.scrollFocus) {
      wide.removeAttribute("tabindex");
      delete wide.dataset.scrollFocus;
    }
  }
}
document.addEventListener("DOMContentLoaded", focusWideTables);
window.addEventListener("resize", focusWideTables);
document.addEventListener("htmx:afterSettle", focusWideTables);
