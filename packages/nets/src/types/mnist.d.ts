declare module 'mnist' {
  const digits: { raw: number[]; length: number }[];
  export default digits;
}
