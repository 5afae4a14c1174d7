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

  // The collaborator's pages open offline: the service worker keeps them, and the report pages this page links to
  // (data-offline-page) are fetched and kept in advance. Signed out, the kept pages are removed from the device.
  const worker = document.body.dataset.serviceWorker;
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "kept") document.body.dataset.offlineKept = String(event.data.count);
    });
    navigator.serviceWorker.register(worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      const urls = Array.prototype.map.call(document.querySelectorAll("a[data-offline-page]"), function (a) {
        return a.href;
      });
      if (urls.length && registration.active) registration.active.postMessage({ type: "keep", urls: urls });
    }).catch(function () { /* no service worker (private mode, old browser): the pages work online */ });
  }
  if (document.body.hasAttribute("data-forget-offline") && window.caches) {
    window.caches.delete("kc-pages-v1");
    // and the service worker stops keeping pages of the session that ended
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
  }
  // Reports typed on this device: each copy is the signed-in person's ("kc-copy-<user>-…") and is read back only on
  // their own pages. Signed out, the copies the server already has go; a copy not yet sent stays for its author's
  // next sign-in (another person's pages never read it). Copies of the older, unattributed form ("kc-report-…")
  // cannot be given to anyone safely and go too.
  if (document.body.hasAttribute("data-forget-offline")) {
    try {
      const storage = window.localStorage;
      for (let i = storage.length - 1; i >= 0; i -= 1) {
        const key = storage.key(i);
        if (!key) continue;
        let pending = false;
        if (key.startsWith("kc-copy-")) {
          try { pending = !!(JSON.parse(storage.getItem(key) || "null") || {}).pending; } catch (error) { pending = false; }
        }
        if (key.startsWith("kc-report-") || (key.startsWith("kc-copy-") && !pending)) storage.removeItem(key);
      }
    } catch (error) { /* storage unavailable: nothing was kept */ }
  }

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
    // A picker that filters a list submits the list's form with the commune chosen.
    const input = document.getElementById(picker.dataset.targetInput);
    if (picker.hasAttribute("data-submit") && input.form) input.form.requestSubmit();
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

  // Allocation tables: the allocated sum and what is left in the plan, as the amounts are typed.
  function parseDong(text) {
    const digits = String(text || "").replace(/[^0-9-]/g, "");
    return digits ? parseInt(digits, 10) : 0;
  }
  function updateAllocations(form) {
    let sum = 0;
    form.querySelectorAll("[data-allocation-amount]").forEach(function (input) {
      const row = input.closest(".formset-row");
      const removed = row && row.querySelector("input[name$='-DELETE']:checked");
      if (!removed) sum += parseDong(input.value);
    });
    const total = parseDong((form.querySelector("[data-plan-total]") || {}).value);
    form.querySelector("[data-allocation-sum]").textContent = numberFormat.format(sum);
    const left = form.querySelector("[data-allocation-left]");
    left.textContent = numberFormat.format(total - sum);
    left.classList.toggle("text-danger", total - sum < 0);
  }
  document.addEventListener("input", function (event) {
    const form = event.target.closest ? event.target.closest("[data-allocation-form]") : null;
    if (form) updateAllocations(form);
  });
  document.addEventListener("change", function (event) {
    const form = event.target.closest ? event.target.closest("[data-allocation-form]") : null;
    if (form) updateAllocations(form);
  });

  function renderProgressChart(element) {
    if (!window.echarts) return;
    const data = JSON.parse(document.getElementById("progress-chart-data").textContent);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return numberFormat.format(v) + " đ"; } },
      legend: { data: [element.dataset.current, element.dataset.previous] },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, width: 80, overflow: "break" } },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return numberFormat.format(v / 1e9); } }, name: element.dataset.unit },
      series: [
        { name: element.dataset.current, type: "bar", data: data.values.map(function (v) { return v; }) },
        { name: element.dataset.previous, type: "bar", data: data.previous }
      ]
    });
    element.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // Bar charts described by a JSON script (labels, values, name); the table beside them holds the same figures.
  function renderBarChart(element) {
    if (!window.echarts) return;
    const data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return numberFormat.format(v); } },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: data.name, type: "bar", data: data.values }]
    });
    element.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  // Choropleths of provinces or of one province's communes (features carry their unit code); a click on a
  // province drills down when the element has a data-link.
  function renderChoropleth(element) {
    if (!window.echarts) return;
    const data = JSON.parse(document.getElementById(element.dataset.choropleth).textContent);
    const values = data.map(function (d) { return d.value; });
    const mapName = "kc-" + element.dataset.choropleth;
    fetch(element.dataset.geojson)
      .then(function (response) { return response.json(); })
      .then(function (geojson) {
        window.echarts.registerMap(mapName, geojson);
        const chart = window.echarts.init(element, null, { renderer: "canvas" });
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              const item = data.find(function (d) { return d.code === p.name; });
              return item ? item.full_name + ": " + numberFormat.format(item.value) : "";
            }
          },
          visualMap: {
            min: 0, max: Math.max.apply(null, values.concat([1])), left: "left", bottom: 0, calculable: true,
            itemHeight: 90, inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] },
            formatter: function (v) { return numberFormat.format(Math.round(v)); }
          },
          series: [{
            type: "map", map: mapName, nameProperty: "code", roam: true,
            emphasis: { label: { show: false } },
            data: data.map(function (d) { return { name: d.code, value: d.value }; })
          }]
        });
        if (element.dataset.link) {
          chart.on("click", function (p) {
            const item = data.find(function (d) { return d.code === p.name; });
            if (item && item.id) window.location.search = element.dataset.link.replace(/^\?/, "") + item.id;
          });
        }
        element.dataset.rendered = "true";
        window.addEventListener("resize", function () { chart.resize(); });
      });
  }

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
    document.querySelectorAll("[data-chart]").forEach(renderBarChart);
    document.querySelectorAll("[data-choropleth]").forEach(renderChoropleth);
    const progress = document.getElementById("progress-chart");
    if (progress) renderProgressChart(progress);
    document.querySelectorAll("[data-allocation-form]").forEach(updateAllocations);
  });
})();
