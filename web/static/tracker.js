// Progressive enhancement only: every page works without this file.
// Loaded as a static file (the Content-Security-Policy forbids inline scripts and handlers).
(function () {
  "use strict";
  // "Select all" for the bulk change on the commitments list.
  document.querySelectorAll("input.select-all[data-target]").forEach(function (box) {
    var name = box.getAttribute("data-target");
    var form = box.form;
    if (!form) return;
    var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    if (!boxes.length) return;
    box.hidden = false;
    box.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = box.checked; });
    });
  });
  // The bulk bar appears once a row is ticked, and says how many are.
  document.querySelectorAll("fieldset.bulk-bar").forEach(function (bar) {
    var form = bar.form || bar.closest("form");
    if (!form) return;
    var count = bar.querySelector(".ticked-count");
    function update() {
      var n = form.querySelectorAll('input[type="checkbox"][name="ids"]:checked').length;
      bar.hidden = n === 0;
      if (count) count.textContent = (count.dataset.template || "({n} ticked)").replace("{n}", n);
    }
    form.addEventListener("change", update);
    update();
  });
  // The preview shows only the deadline fields of the chosen type (date: a date; event: the event,
  // its relation and offset); the others come back when the type changes.
  document.querySelectorAll("select.deadline-type").forEach(function (select) {
    var row = select.closest(".row");
    if (!row) return;
    select.addEventListener("change", function () {
      row.querySelectorAll("[data-for]").forEach(function (field) {
        field.hidden = field.getAttribute("data-for") !== select.value;
      });
    });
  });
  // A form that undoes something (turning the feed off, replacing its URL) asks first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });
  // Copy buttons: the URL goes to the clipboard in one click (the field is still there to select).
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var said = button.parentNode.querySelector(".copied");
    button.hidden = false;
    button.addEventListener("click", function () {
      function done() { if (said) said.textContent = button.dataset.copied || "Copied."; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        // Plain http on a closed network is not a secure context: the older way still copies.
        field.select();
        if (document.execCommand("copy")) done();
      }
    });
  });
  // Phones show wide tables as cards (tracker.css): each cell is labelled with its column header.
  document.querySelectorAll("main table").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        // The header's words, without its decorations (the sort arrow is aria-hidden).
        var head = heads[i] && heads[i].cloneNode(true);
        if (head) head.querySelectorAll("[aria-hidden]").forEach(function (el) { el.remove(); });
        var label = head && head.textContent.trim();
        if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
      });
    });
  });
})();
