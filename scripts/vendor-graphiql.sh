#!/usr/bin/env bash
# Vendor GraphiQL, React and the web UI's libraries (Cytoscape.js with its dagre layout, uPlot,
# graphql-ws) from the npm registry into app/web/vendor/, so /graphql and /ui work offline.
#
# Usage: scripts/vendor-graphiql.sh        (needs npm and network access to the npm registry)
#
# Versions are pinned below; change them here and re-run to refresh. The script replaces
# app/web/vendor/ entirely and rewrites app/web/vendor/VERSIONS.txt with each tarball's
# registry integrity and the sha256 of every vendored file. Files are copied byte for byte.
set -euo pipefail

GRAPHIQL_VERSION=3.8.3
REACT_VERSION=18.3.1
EXPLORER_VERSION=1.0.2
# The explorer plugin bundles graphiql-explorer but its tarball has no licence file: take it
# from graphiql-explorer's own tarball (the version the plugin declares, ^0.9.0).
GRAPHIQL_EXPLORER_VERSION=0.9.0
# The lineage picture (GraphiQL plugin and /ui): Cytoscape.js draws, cytoscape-dagre lays out
# upstream-left to downstream-right. Its UMD build bundles @dagrejs/dagre (a devDependency,
# ^3.0.0), whose licence we take from that package's own tarball.
CYTOSCAPE_VERSION=3.34.4
CYTOSCAPE_DAGRE_VERSION=4.0.1
DAGRE_VERSION=3.1.3
# The metric history chart and sparklines.
UPLOT_VERSION=1.6.32
# The web UI's live updates (graphql-transport-ws, the protocol the server speaks).
GRAPHQL_WS_VERSION=6.4.2

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/app/web/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# fetch SPEC: npm pack SPEC into $work, unpack into $work/<name>/, record its integrity.
fetch() {
    local spec="$1" name="${1%@*}"
    local meta tarball integrity
    meta="$(cd "$work" && npm pack --json --silent "$spec")"
    tarball="$(node -e 'console.log(JSON.parse(process.argv[1])[0].filename)' "$meta")"
    integrity="$(node -e 'console.log(JSON.parse(process.argv[1])[0].integrity)' "$meta")"
    mkdir -p "$work/$name"
    tar -xzf "$work/$tarball" -C "$work/$name" --strip-components=1
    printf '%s  %s\n' "$spec" "$integrity" >>"$work/tarballs.txt"
}

# put PACKAGE_FILE DEST: copy one file of an unpacked package into the vendor tree.
put() {
    local src="$work/$1" dest="$vendor_dir/$2"
    [[ -f "$src" ]] || { echo "missing in tarball: $1" >&2; exit 1; }
    mkdir -p "$(dirname "$dest")"
    cp "$src" "$dest"
}

fetch "graphiql@$GRAPHIQL_VERSION"
fetch "react@$REACT_VERSION"
fetch "react-dom@$REACT_VERSION"
fetch "@graphiql/plugin-explorer@$EXPLORER_VERSION"
fetch "graphiql-explorer@$GRAPHIQL_EXPLORER_VERSION"
fetch "cytoscape@$CYTOSCAPE_VERSION"
fetch "cytoscape-dagre@$CYTOSCAPE_DAGRE_VERSION"
fetch "@dagrejs/dagre@$DAGRE_VERSION"
fetch "uplot@$UPLOT_VERSION"
fetch "graphql-ws@$GRAPHQL_WS_VERSION"

rm -rf "$vendor_dir"
put graphiql/graphiql.min.js                         graphiql/graphiql.min.js
put graphiql/graphiql.min.css                        graphiql/graphiql.min.css
put graphiql/LICENSE                                 graphiql/LICENSE
put react/umd/react.production.min.js                react/react.production.min.js
put react/LICENSE                                    react/LICENSE
put react-dom/umd/react-dom.production.min.js        react-dom/react-dom.production.min.js
put react-dom/LICENSE                                react-dom/LICENSE
put @graphiql/plugin-explorer/dist/index.umd.js      plugin-explorer/index.umd.js
put @graphiql/plugin-explorer/dist/style.css         plugin-explorer/style.css
# The plugin lives in the graphql/graphiql monorepo (MIT, same copyright as graphiql).
put graphiql/LICENSE                                 plugin-explorer/LICENSE
put graphiql-explorer/LICENSE                        plugin-explorer/LICENSE.graphiql-explorer
put cytoscape/dist/cytoscape.min.js                  cytoscape/cytoscape.min.js
put cytoscape/LICENSE                                cytoscape/LICENSE
put cytoscape-dagre/dist/cytoscape-dagre.min.js      cytoscape-dagre/cytoscape-dagre.min.js
put cytoscape-dagre/LICENSE                          cytoscape-dagre/LICENSE
put @dagrejs/dagre/LICENSE                           cytoscape-dagre/LICENSE.dagre
put uplot/dist/uPlot.iife.min.js                     uplot/uPlot.iife.min.js
put uplot/dist/uPlot.min.css                         uplot/uPlot.min.css
put uplot/LICENSE                                    uplot/LICENSE
put graphql-ws/umd/graphql-ws.min.js                 graphql-ws/graphql-ws.min.js
put graphql-ws/LICENSE.md                            graphql-ws/LICENSE

{
    echo "# Written by scripts/vendor-graphiql.sh: do not edit by hand."
    echo "# npm tarballs (registry integrity):"
    sed 's/^/#   /' "$work/tarballs.txt"
    echo "# sha256 of each vendored file (check with: cd app/web/vendor && sha256sum -c VERSIONS.txt):"
    (cd "$vendor_dir" && find . -type f ! -name VERSIONS.txt -printf '%P\n' | LC_ALL=C sort | xargs sha256sum)
} >"$work/VERSIONS.txt"
mv "$work/VERSIONS.txt" "$vendor_dir/VERSIONS.txt"

echo "vendored into $vendor_dir:"
(cd "$vendor_dir" && du -ah . | LC_ALL=C sort -k2)
