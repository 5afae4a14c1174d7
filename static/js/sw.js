/* The service worker of the collaborator's pages: they open and can be filled with no connection at all.
   Served from /sw.js (scope "/"). Pages under OFFLINE_PATHS are fetched from the network first and kept; with no
   network the kept copy is shown (report.js keeps what is typed in localStorage and sends it when the connection
   returns). The report pages listed on "Báo cáo của tôi" are fetched and kept in advance (a message from app.js),
   so that a report never opened on this device still opens offline. Static files are served from the cache and
   refreshed behind. Signing out empties the kept pages (app.js, on the login page). */
"use strict";

const PAGES = "kc-pages-v1";
const STATIC = "kc-static-v1";
const OFFLINE_PATHS = ["/collaborators/reports/", "/collaborators/surveys/"];

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== PAGES && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keptPath(url) {
  return OFFLINE_PATHS.some(function (path) { return url.pathname.startsWith(path); });
}

// The scripts and styles a kept page names (/static/…), kept with it: the page must work offline, not only show.
async function keepAssets(response) {
  const html = await response.text();
  const assets = new Set();
  const pattern = /(?:src|href)="(\/static\/[^"]+)"/g;
  let match;
  while ((match = pattern.exec(html)) !== null) assets.add(match[1]);
  const cache = await caches.open(STATIC);
  for (const asset of assets) {
    if (await cache.match(asset)) continue;
    try {
      const file = await fetch(asset);
      if (file.ok) await cache.put(asset, file);
    } catch (error) { /* offline: kept at the next visit */ }
  }
}

// Bumped when the pages are forgotten (signing out): a keeping still under way stops.
let generation = 0;

async function keep(urls) {
  const cache = await caches.open(PAGES);
  const mine = generation;
  let kept = 0;
  for (const url of urls) {
    if (mine !== generation) break;
    try {
      // A redirect is not followed: it means the session has ended (the login page). Following it would fetch the
      // login page in the background and give the browser a new CSRF cookie, refusing the login form just shown.
      const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) break;
      if (response.ok && mine === generation) {
        await cache.put(url, response.clone());
        await keepAssets(response);
        kept += 1;
      }
    } catch (error) { /* offline now: kept at the next visit */ }
  }
  return kept;
}

self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "keep" && Array.isArray(data.urls)) {
    const urls = data.urls.filter(function (url) { return keptPath(new URL(url, self.location.origin)); });
    event.waitUntil(keep(urls).then(function (count) {
      if (event.source) event.source.postMessage({ type: "kept", count: count });
    }));
  } else if (data.type === "forget") {
    generation += 1;
    event.waitUntil(caches.delete(PAGES));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(request, response.clone());
      keepAssets(response.clone()).catch(function () { /* kept at the next visit */ });
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreVary: true });
    if (kept) return kept;
    return new Response(
      "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
      "<title>Không có kết nối</title><p style=\"font-family:sans-serif;padding:1rem\">Không có kết nối mạng và trang " +
      "này chưa được lưu trên thiết bị. Hãy mở lại khi có mạng.</p></html>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
    );
  }
}

async function staticFile(request) {
  const cache = await caches.open(STATIC);
  const kept = await cache.match(request);
  const fresh = fetch(request).then(function (response) {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (kept) {
    fresh.catch(function () { /* offline: the kept copy serves */ });
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate" && keptPath(url)) {
    event.respondWith(networkFirst(request));
  }
});
