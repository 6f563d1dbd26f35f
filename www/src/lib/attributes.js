// Helpers of the element specs (www/src/elements/*.js). Plain data, no DOM: Node imports the specs
// to write custom-elements.json (scripts/custom-elements-manifest.mjs).

/**
 * A string attribute of a demo element.
 * @param {string} name
 * @param {string} fallback the default value
 * @param {string} description
 */
export const textAttribute = (name, fallback, description) => ({ name, type: "string", default: fallback, description });
