// Goal Discovery Studio: draws the dashboards' charts on pages served by `goalstudio dashboard`.
//
// A chart arrives as an HTML output (see `chart` in widgets/dashboards/_common.py): an empty box,
// then a script that calls goalstudioCharts.draw with the name of the smallest plotly.js bundle
// that has the chart's trace types ("basic": bar, pie, scatter; "cartesian": heatmap and the
// other two-axis charts) and the figure. Those bundles are a quarter and a third of the whole of
// plotly.js, so a page starts in less time, and each chart is drawn once, where plotly's own
// renderer draws it again and makes a still image of it. The bundles are files beside this one:
// nothing is fetched from the internet.
(function () {
  "use strict";
  // Bundle name -> address, written by the template (addresses carry a version, so they cache).
  const addresses = window.goalstudioChartBundles || {};
  const loading = {};
  let last = Promise.resolve();

  // Each bundle sets window.Plotly as it runs, so bundles load one after the other and each is
  // kept as it was when it ran.
  function load(name) {
    if (!(name in loading)) {
      loading[name] = last.then(
        () =>
          new Promise((resolve, reject) => {
            if (!addresses[name]) {
              reject(new Error("no chart script called " + name));
              return;
            }
            const script = document.createElement("script");
            script.src = addresses[name];
            script.async = true;
            script.onload = () =>
              window.Plotly ? resolve(window.Plotly) : reject(new Error("plotly.js did not start"));
            script.onerror = () => reject(new Error("the chart script did not load"));
            document.head.appendChild(script);
          }),
      );
      last = loading[name].catch(() => undefined);
    }
    return loading[name];
  }

  // Resolves once the box is on the page with a width: plotly sizes a chart to its box.
  function sized(box) {
    return new Promise((resolve) => {
      if (box.isConnected && box.offsetWidth > 0) {
        resolve();
        return;
      }
      const watch = new ResizeObserver(() => {
        if (box.isConnected && box.offsetWidth > 0) {
          watch.disconnect();
          resolve();
        }
      });
      watch.observe(box);
    });
  }

  function draw(script, name, figure) {
    const box = script.previousElementSibling;
    Promise.all([load(name), sized(box)])
      .then(([Plotly]) => {
        // The height plotly's own renderer gives a chart that names none.
        const layout = Object.assign({ height: 360 }, figure.layout);
        return Plotly.newPlot(box, figure.data, layout, figure.config).then(() => {
          // Follow the box's width from now on (a window resized, a panel opened).
          let width = box.offsetWidth;
          new ResizeObserver(() => {
            if (box.offsetWidth > 0 && box.offsetWidth !== width) {
              width = box.offsetWidth;
              Plotly.Plots.resize(box);
            }
          }).observe(box);
        });
      })
      .catch((error) => {
        box.textContent =
          "This chart could not be drawn (" +
          error.message +
          "). Reload the page; if it happens again, tell whoever runs the studio.";
        box.classList.add("gs-chart-problem");
      });
  }

  window.goalstudioCharts = { load: load, draw: draw };
})();
