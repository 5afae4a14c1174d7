/* Small behaviours shared by every page. No inline scripts: the CSP allows only our own files. */
(function () {
  "use strict";
  const lang = document.documentElement.lang || "vi";
  const numberFormat = new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB");

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target.matches && target.matches("[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // Commune picker inside a form: choosing a result fills the form's hidden commune field.
  document.addEventListener("click", function (event) {
    const option = event.target.closest ? event.target.closest("[data-pk]") : null;
    const picker = option ? option.closest(".commune-picker[data-target-input]") : null;
    if (!picker) return;
    event.preventDefault();
    document.getElementById(picker.dataset.targetInput).value = option.dataset.pk;
    const choice = document.getElementById(picker.dataset.choice);
    if (choice) {
      choice.textContent = "";
      const strong = document.createElement("strong");
      strong.textContent = option.dataset.label;
      choice.appendChild(strong);
    }
    option.closest("[role=listbox]").remove();
  });

  // Formsets: "add a row" clones the empty form, numbering it after the rows already there.
  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("[data-formset-add]") : null;
    if (!button) return;
    const fieldset = button.closest("[data-formset]");
    const prefix = fieldset.dataset.formset;
    const total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    const index = parseInt(total.value, 10);
    const html = fieldset.querySelector("template[data-formset-empty]").innerHTML.replace(/__prefix__/g, String(index));
    const rows = fieldset.querySelector("[data-formset-rows]");
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = rows.lastElementChild;
    if (window.htmx) window.htmx.process(added);
    const first = added.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  });

  function renderProvinceMap(element) {
    if (!window.echarts) return;
    const data = JSON.parse(document.getElementById("province-map-data").textContent);
    const values = data.map(function (d) { return d.value; });
    fetch(element.dataset.geojson)
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        window.echarts.registerMap("vn-provinces", geojson);
        const chart = window.echarts.init(element, null, { renderer: "canvas" });
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              const item = data.find(function (d) { return d.code === p.name; });
              if (!item) return "";
              return item.full_name + ": " + numberFormat.format(item.value);
            }
          },
          visualMap: {
            min: Math.min.apply(null, values), max: Math.max.apply(null, values),
            left: "left", bottom: 0, calculable: true, itemHeight: 90,
            inRange: { color: ["#e0f3f8", "#74add1", "#313695"] },
            formatter: function (v) { return numberFormat.format(Math.round(v)); }
          },
          series: [{
            type: "map", map: "vn-provinces", nameProperty: "code", roam: true,
            name: element.dataset.seriesName,
            emphasis: { label: { show: false } },
            data: data.map(function (d) { return { name: d.code, value: d.value }; })
          }]
        });
        element.dataset.rendered = "true";
        window.addEventListener("resize", function () { chart.resize(); });
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const map = document.getElementById("province-map");
    if (map) renderProvinceMap(map);
  });
})();
