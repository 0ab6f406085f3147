// The agent's policy forms. Amounts are typed in rial, as printed on the insurer's policy;
// under each rial input a live toman echo ("= ۱٬۲۳۴ تومان، حدود ۱٫۲ هزار تومان") makes a
// missing or extra zero visible while typing. A form marked data-confirm opens a summary of
// what will be recorded before it is sent (without JavaScript it is sent as it is; the
// server validates either way).
(function () {
  var FA = "۰۱۲۳۴۵۶۷۸۹";
  var AR = "٠١٢٣٤٥٦٧٨٩";

  function toLatin(text) {
    return text.replace(/[۰-۹]/g, function (d) { return FA.indexOf(d); })
      .replace(/[٠-٩]/g, function (d) { return AR.indexOf(d); });
  }
  function toPersian(text) {
    return String(text).replace(/[0-9]/g, function (d) { return FA[d]; }).replace(/\./g, "٫");
  }
  function group(n) {
    return toPersian(String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "٬"));
  }

  // The same reading as the server's RialField: digits of any script, separators ignored.
  function parseRial(value) {
    var text = toLatin(value).replace(/[,٬،\s]/g, "").replace("−", "-");
    if (text === "") return { empty: true };
    if (!/^-?\d+$/.test(text)) return { invalid: true };
    return { rial: parseInt(text, 10) };
  }

  function roughly(toman) {
    var units = [[1e9, "میلیارد"], [1e6, "میلیون"], [1e3, "هزار"]];
    for (var i = 0; i < units.length; i++) {
      if (toman >= units[i][0]) {
        var amount = Math.round((toman / units[i][0]) * 10) / 10;
        return toPersian(amount) + " " + units[i][1] + " تومان";
      }
    }
    return null;
  }

  function tomanText(rial) {
    var sign = rial < 0 ? "−" : "";
    var toman = Math.floor(Math.abs(rial) / 10);
    var text = "= " + sign + group(toman) + " تومان";
    var rough = roughly(toman);
    return rough ? text + " (حدود " + sign + rough + ")" : text;
  }

  function echo(input) {
    var out = document.getElementById(input.id + "_toman");
    if (!out) return;
    var parsed = parseRial(input.value);
    out.classList.toggle("text-danger", !!parsed.invalid);
    if (parsed.empty) out.textContent = "";
    else if (parsed.invalid) out.textContent = "مبلغ را فقط با رقم وارد کنید.";
    else out.textContent = tomanText(parsed.rial);
  }

  function rialInputs(root) {
    return Array.prototype.slice.call(root.querySelectorAll("input[data-rial]"));
  }

  rialInputs(document).forEach(function (input) {
    var out = document.getElementById(input.id + "_toman");
    if (!out) return;
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(out.id) < 0) described.push(out.id);
    input.setAttribute("aria-describedby", described.join(" "));
    echo(input);
  });
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[data-rial]")) echo(el);
  });

  // --- confirm before recording ---------------------------------------------------------
  function labelOf(field) {
    var label = document.querySelector('label[for="' + field.id + '"]');
    return label ? label.textContent.replace("*", "").trim() : field.name;
  }
  function valueOf(field) {
    if (field.tagName === "SELECT") {
      var option = field.options[field.selectedIndex];
      return option && option.value !== "" ? option.text : "";
    }
    if (field.type === "file") return field.files && field.files.length ? field.files[0].name : "";
    if (field.type === "checkbox") return field.checked ? "بله" : "";
    if (field.hasAttribute("data-rial")) {
      var parsed = parseRial(field.value);
      if (parsed.empty || parsed.invalid) return field.value.trim();
      return [group(parsed.rial) + " ریال", tomanText(parsed.rial)];
    }
    return toPersian(field.value.trim());
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    var modalEl = document.getElementById(form.getAttribute("data-confirm"));
    if (!modalEl || typeof bootstrap === "undefined") return;
    var modal = bootstrap.Modal.getOrCreateInstance(modalEl);
    var list = modalEl.querySelector("[data-confirm-list]");
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) return;
      event.preventDefault();
      list.textContent = "";
      form.getAttribute("data-confirm-fields").split(" ").forEach(function (name) {
        var field = form.elements[name];
        if (!field || !field.id) return;
        var row = document.getElementById("row-" + name);
        if (row && row.offsetParent === null) return; // a field the page hides for this line
        var value = valueOf(field);
        if (!value || !value.length) return;
        var dt = document.createElement("dt");
        dt.className = "col-5 fw-normal text-muted";
        dt.textContent = labelOf(field);
        var dd = document.createElement("dd");
        dd.className = "col-7";
        [].concat(value).forEach(function (line, index) {
          var part = document.createElement("div");
          if (index) part.className = "small text-muted";
          part.textContent = line;
          dd.appendChild(part);
        });
        dd.setAttribute("data-confirm-value", name);
        list.appendChild(dt);
        list.appendChild(dd);
      });
      modal.show();
    });
    modalEl.querySelector("[data-confirm-submit]").addEventListener("click", function () {
      confirmed = true;
      modal.hide();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });
})();
