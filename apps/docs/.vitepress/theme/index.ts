import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import VegaFigure from './VegaFigure.vue';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('VegaFigure', VegaFigure);
  },
};

export default theme;
