/** Go's regexp (RE2 syntax and matching rules) in linear time: V8 where provably linear, re2js otherwise. */
export { Re2SyntaxError } from './re2-ast.js'
export { translateRe2, type Re2Translation } from './re2-translate.js'
export { compileRe2, re2All, re2First, re2ReplaceAll, re2Test, type Re2, type Re2Engine, type Re2Match } from './re2-match.js'
export { expandTemplate } from './go-template.js'
export { backtrackingIsLinear } from './re2-linear.js'
