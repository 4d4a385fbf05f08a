// Any node of the graph by id (links from the GraphiQL plugin and the lineage picture): model
// versions and models open their own pages, anything else shows its lineage.
import { gql } from "./api.js";
import { el, replace } from "./dom.js";
import { lineagePanel } from "./lineage-panel.js";

const NODE = `query ($id: ID!) {
  node(id: $id) { __typename id
    ... on ModelVersion { modelName version }
    ... on Model { name }
    ... on DatasetVersion { dataset version sourceUri rowCount description }
  }
}`;

export async function render(main, { id }) {
  const found = (await gql(NODE, { id })).node;
  if (found && found.__typename === "ModelVersion") {
    window.location.replace("#/model/" + encodeURIComponent(found.modelName) + "/v/" + found.version);
    return null;
  }
  if (found && found.__typename === "Model") {
    window.location.replace("#/model/" + encodeURIComponent(found.name));
    return null;
  }
  const panel = lineagePanel(id, { direction: "BOTH", maxHops: 2 });
  const title = found && found.__typename === "DatasetVersion" ? found.dataset + " v" + found.version : id;
  replace(
    main,
    el("h1", {}, title),
    found && found.__typename === "DatasetVersion" ? el("p", {}, found.description || "", " ", el("code", {}, found.sourceUri || "")) : null,
    panel.element,
  );
  await panel.start();
  return panel.destroy;
}
