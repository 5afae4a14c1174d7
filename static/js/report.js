// The collaborator's report form: saves the draft on the server as it is typed, keeps a copy in the browser
// (localStorage) until the server has it, so a dropped connection or a closed tab loses nothing, sends the copy
// when the connection returns, and submits once however often the button is tapped (one key per page).
(function () {
  "use strict";

  const form = document.querySelector("[data-report-form]");
  if (!form) return;
  const d = form.dataset;
  const storageKey = d.storageKey;
  const statusBox = form.querySelector("[data-save-status]");
  const noticeBox = form.querySelector("[data-notice]");
  const versionInput = form.querySelector("[data-version]");
  const submitKey = form.querySelector("[data-submit-key]").value;
  const submitButton = form.querySelector("[data-submit]");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let timer = null;
  let saving = null;
  let dirty = false;
  let submitting = false;
  let retried = false;

  function version() {
    return versionInput.value ? parseInt(versionInput.value, 10) : null;
  }

  function setStatus(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "kc-save-status small mb-1 w-100 " + (kind === "offline" ? "text-danger fw-semibold" : "text-body-secondary");
    statusBox.dataset.state = kind || "";
  }

  function showNotice(text, button) {
    noticeBox.textContent = text;
    noticeBox.classList.toggle("d-none", !text);
    if (button) noticeBox.appendChild(button);
  }

  // Values by field: "workers" → "1.450"; repeating rows "by_industry.0.establishments" → [{establishments: …}].
  function collect() {
    const values = {};
    form.querySelectorAll("[data-field]").forEach(function (input) {
      if (input.closest("template")) return;
      const parts = input.name.split(".");
      if (parts.length === 1) {
        values[parts[0]] = input.value;
        return;
      }
      const rows = values[parts[0]] = values[parts[0]] || [];
      const index = parseInt(parts[1], 10);
      rows[index] = rows[index] || {};
      rows[index][parts[2]] = input.value;
    });
    Object.keys(values).forEach(function (name) {
      if (Array.isArray(values[name])) values[name] = values[name].filter(Boolean);
    });
    return values;
  }

  function ensureRows(name, count) {
    const box = form.querySelector('[data-rows="' + name + '"]');
    if (!box) return;
    while (box.querySelectorAll("[data-rows-body] [data-row]").length < count) addRow(box);
  }

  function fill(values) {
    Object.keys(values).forEach(function (name) {
      const value = values[name];
      if (Array.isArray(value)) {
        ensureRows(name, value.length);
        value.forEach(function (row, index) {
          Object.keys(row || {}).forEach(function (column) {
            const input = form.querySelector('[name="' + name + "." + index + "." + column + '"]');
            if (input) input.value = row[column] == null ? "" : row[column];
          });
        });
      } else {
        const input = form.querySelector('[name="' + name + '"]');
        if (input) input.value = value == null ? "" : value;
      }
    });
  }

  function stored() {
    try {
      return JSON.parse(window.localStorage.getItem(storageKey) || "null");
    } catch (e) {
      return null;
    }
  }

  // The copy on this device: the values, whether the server still lacks them, the version they were typed on, the
  // last version this device saved (a page opened from the offline cache may be older than that: it is ours, not
  // another device's), and whether the report is to be submitted when the connection returns.
  function keep(pending, extra) {
    const previous = stored() || {};
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(Object.assign({
        values: collect(), pending: pending, base: version(), at: new Date().toISOString(),
        lastSaved: previous.lastSaved || null, submit: previous.submit || false
      }, extra || {})));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function showErrors(errors) {
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    form.querySelectorAll("[data-error-for]").forEach(function (el) { el.textContent = ""; });
    Object.keys(errors || {}).forEach(function (path) {
      const box = form.querySelector('[data-error-for="' + path + '"]');
      if (box) box.textContent = errors[path];
      const input = form.querySelector('[name="' + path + '"]');
      if (input) input.classList.add("is-invalid");
    });
  }

  function payload(extra) {
    const body = { form: d.form, commune: parseInt(d.commune, 10), period: d.period, values: collect(),
      expected_version: version() };
    return JSON.stringify(Object.assign(body, extra || {}));
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" }
    });
  }

  function timeNow() {
    const now = new Date();
    return String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0") + ":" +
      String(now.getSeconds()).padStart(2, "0");
  }

  // Send the draft; while the connection is down the copy stays in the browser, marked pending.
  function save() {
    if (saving) { dirty = true; return saving; }
    if (!navigator.onLine) { setStatus(d.msgOffline, "offline"); return Promise.resolve(); }
    dirty = false;
    setStatus(d.msgSaving, "saving");
    saving = post(d.draftUrl, payload())
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          versionInput.value = result.data.version;
          keep(dirty, { lastSaved: result.data.version });
          setStatus(d.msgSaved + " " + timeNow(), "saved");
          if (result.data.notice) showNotice(result.data.notice);
        } else if (result.data.code === "stale_version" && result.data.saved_by_me && !retried) {
          // The server's newer copy is this user's own save whose answer was lost: save again on it, once.
          retried = true;
          versionInput.value = result.data.version;
          dirty = true;
        } else {
          setStatus(result.data.message || d.msgError, "error");
        }
      })
      .catch(function () { setStatus(d.msgOffline, "offline"); })
      .finally(function () {
        saving = null;
        if (dirty) schedule();
      });
    return saving;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  function changed() {
    keep(true);
    if (!navigator.onLine) { setStatus(d.msgOffline, "offline"); return; }
    schedule();
  }

  function renumber(box) {
    const name = box.dataset.rows;
    box.querySelectorAll("[data-rows-body] [data-row]").forEach(function (row, index) {
      row.querySelectorAll("[data-field]").forEach(function (input) {
        const column = input.name.split(".")[2];
        const path = name + "." + index + "." + column;
        input.name = path;
        input.id = "f-" + path;
        input.dataset.field = path;
        const label = row.querySelector('label[for^="f-' + name + '."][for$=".' + column + '"]');
        if (label) label.htmlFor = "f-" + path;
        const error = input.parentNode.querySelector("[data-error-for]");
        if (error) error.dataset.errorFor = path;
      });
    });
  }

  function addRow(box) {
    const template = box.querySelector("template[data-row-template]");
    box.querySelector("[data-rows-body]").appendChild(template.content.cloneNode(true));
    renumber(box);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("click", function (event) {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      addRow(add.closest("[data-rows]"));
      changed();
      return;
    }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) {
      const box = remove.closest("[data-rows]");
      remove.closest("[data-row]").remove();
      renumber(box);
      changed();
    }
  });

  // Submit once: the button is disabled at the first tap and every attempt carries the page's key, so a second
  // request (a double tap, a retry) is recognised by the server as the same submission.
  form.addEventListener("submit", function (event) {
    const action = event.submitter && event.submitter.value;
    event.preventDefault();
    if (action !== "submit") { save(); return; }
    if (submitting) return;
    if (!window.confirm(d.msgConfirm)) return;
    submit();
  });

  function submit() {
    submitting = true;
    submitButton.disabled = true;
    clearTimeout(timer);
    if (!navigator.onLine) {
      // No connection: the report is sent as soon as it returns (this page, or the next visit).
      keep(true, { submit: true });
      setStatus(d.msgQueued, "offline");
      submitting = false;
      submitButton.disabled = false;
      return;
    }
    keep(true, { submit: true });
    setStatus(d.msgSending, "saving");
    const send = function () {
      return post(d.submitUrl, payload({ submit_key: submitKey }))
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          if (result.ok) {
            window.localStorage.removeItem(storageKey);
            setStatus(d.msgSent, "sent");
            window.location.reload();
            return;
          }
          if (result.data.version) versionInput.value = result.data.version;
          keep(false, { submit: false });
          showErrors(result.data.errors || (result.data.field ? { [result.data.field]: result.data.message } : {}));
          setStatus(result.data.message || d.msgError, "error");
          submitting = false;
          submitButton.disabled = false;
        });
    };
    (saving || Promise.resolve()).then(send).catch(function () {
      setStatus(d.msgQueued, "offline");
      submitting = false;
      submitButton.disabled = false;
    });
  }

  function resume() {
    const copy = stored();
    if (!copy || !copy.pending) return;
    if (copy.submit) submit();
    else save();
  }

  window.addEventListener("online", resume);
  window.addEventListener("offline", function () { setStatus(d.msgOffline, "offline"); });

  // A copy typed here and never sent (the tab was closed offline): restore it, and send it when it is still based
  // on the server's copy; when another device saved since, show the server's and offer ours.
  const copy = stored();
  if (copy && copy.lastSaved && (version() === null || copy.lastSaved > version())) {
    versionInput.value = copy.lastSaved;  // a page kept offline, older than this device's last save
  }
  if (copy && copy.pending) {
    const mine = Math.max(copy.base || 0, copy.lastSaved || 0);
    // A save whose answer was lost with the connection left the server newer than the copy: still this user's.
    const savedByMe = versionInput.dataset.savedByMe === "true";
    if (version() === null || version() <= mine || savedByMe) {
      fill(copy.values);
      showNotice(copy.submit ? d.msgQueued : d.msgRestored);
      if (copy.submit && !navigator.onLine) setStatus(d.msgQueued, "offline");
      else if (!navigator.onLine) setStatus(d.msgOffline, "offline");
      else resume();
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-primary ms-2";
      button.textContent = d.msgUseMine;
      button.addEventListener("click", function () {
        fill(copy.values);
        showNotice("");
        changed();
      });
      showNotice(d.msgNewer + " ", button);
    }
  }
})();
