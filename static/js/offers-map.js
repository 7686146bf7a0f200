/*
 * The map of offers (/rejestr/mapa/): Leaflet (static/vendor/leaflet) on
 * <div id="offers-map" data-…>. Progressive enhancement: the list below the map shows the same
 * organisations without this script.
 *
 * Layers: the shipped geography always (voivodeship outlines, a point per powiat with its
 * name when zoomed in), tiles only when the site has a tile server (data-tile-url), and a
 * marker per organisation from the GeoJSON of the page's own filters (data-geojson). Markers
 * are buttons in the Tab order (Leaflet's keyboard option); Enter opens the popup, whose links
 * lead to the certificate pages. Texts come translated from the page (data-* attributes).
 */
(function () {
  "use strict";

  var LABELS_FROM_ZOOM = 9; // powiat names clutter the map below this

  function format(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_, name) {
      return name in values ? values[name] : "";
    });
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" } }).then(
      function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }
    );
  }

  function element(tag, text, parent) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function popup(feature, box) {
    var props = feature.properties;
    var root = document.createElement("div");
    element("strong", props.name, root);
    element("p", props.town + (props.powiat_name ? ", " + props.powiat_name : ""), root);
    var list = element("ul", "", root);
    props.certificates.forEach(function (certificate) {
      var item = element("li", "", list);
      var link = element("a", certificate.number, item);
      link.href = certificate.url;
      var until = format(box.getAttribute("data-valid-until"), {
        date: certificate.valid_until,
      });
      var names = certificate.items.map(function (entry) {
        return entry.name;
      });
      item.appendChild(document.createTextNode(" (" + until + "): " + names.join("; ")));
    });
    return root;
  }

  function bounds(text) {
    var v = text.split(",").map(Number);
    return L.latLngBounds([v[1], v[0]], [v[3], v[2]]);
  }

  function start(box) {
    var status = document.getElementById("offers-map-status");
    var map = L.map(box, { zoomControl: false, attributionControl: true });
    L.control
      .zoom({
        zoomInTitle: box.getAttribute("data-zoom-in"),
        zoomOutTitle: box.getAttribute("data-zoom-out"),
      })
      .addTo(map);
    map.attributionControl.addAttribution(box.getAttribute("data-attribution"));
    map.fitBounds(bounds(box.getAttribute("data-bounds")));
    L.Icon.Default.imagePath = box.getAttribute("data-icons");

    var tiles = box.getAttribute("data-tile-url");
    if (tiles) {
      // The operator's own setting (MAP_TILE_ATTRIBUTION), HTML as Leaflet takes it.
      L.tileLayer(tiles, { attribution: box.getAttribute("data-tile-attribution") || "" }).addTo(
        map
      );
    }

    // The shipped layer, under the markers whether tiles load or not.
    getJSON(box.getAttribute("data-voivodeships"))
      .then(function (data) {
        L.geoJSON(data, {
          interactive: false,
          style: { color: "#505a5f", weight: 1, fillColor: "#f3f2f1", fillOpacity: 0.7 },
        })
          .addTo(map)
          .bringToBack();
      })
      .catch(function () {});
    getJSON(box.getAttribute("data-powiats"))
      .then(function (data) {
        L.geoJSON(data, {
          interactive: false,
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 2,
              color: "#505a5f",
              weight: 1,
              interactive: false,
            }).bindTooltip(feature.properties.name, {
              permanent: true,
              direction: "right",
              className: "powiat-label",
              interactive: false,
            });
          },
        }).addTo(map);
      })
      .catch(function () {});

    // A popup opened from the keyboard takes the focus (its links are what the user wants
    // next) and gives it back to its marker when closed; Leaflet's own button label is English.
    map.on("popupopen", function (event) {
      var root = event.popup.getElement();
      var close = root.querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", box.getAttribute("data-close-popup"));
      var marker = event.popup._source && event.popup._source.getElement();
      if (marker && document.activeElement === marker) {
        var link = root.querySelector(".leaflet-popup-content a");
        if (link) link.focus();
      }
    });
    // Leaflet closes a popup on Escape only while the map itself has the focus.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && map.getContainer().querySelector(".leaflet-popup")) {
        map.closePopup();
      }
    });
    map.on("popupclose", function (event) {
      var marker = event.popup._source && event.popup._source.getElement();
      var root = event.popup.getElement();
      if (marker && root && root.contains(document.activeElement)) marker.focus();
    });

    function labels() {
      box.classList.toggle("show-powiat-labels", map.getZoom() >= LABELS_FROM_ZOOM);
    }
    map.on("zoomend", labels);
    labels();

    getJSON(box.getAttribute("data-geojson"))
      .then(function (data) {
        var markers = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.marker(latlng, {
              keyboard: true,
              title: feature.properties.name,
              alt: feature.properties.name,
            });
          },
          onEachFeature: function (feature, layer) {
            layer.bindPopup(popup(feature, box));
          },
        }).addTo(map);
        var count = data.features.length;
        if (count) map.fitBounds(markers.getBounds(), { maxZoom: 11, padding: [24, 24] });
        status.textContent = format(box.getAttribute("data-shown"), { count: count });
      })
      .catch(function () {
        status.textContent = box.getAttribute("data-failed");
      });
  }

  function init() {
    var box = document.getElementById("offers-map");
    if (box && window.L) start(box);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
