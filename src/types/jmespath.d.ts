// The parts of the jmespath package (JMESPath's own JavaScript implementation) Weir uses. It is
// CommonJS without exports Node can name, so it is imported whole.
declare module 'jmespath' {
  const jmespath: {
    search(data: unknown, expression: string): unknown
    compile(expression: string): unknown
  }
  export default jmespath
}
