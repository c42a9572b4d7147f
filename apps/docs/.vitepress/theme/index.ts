import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import PlaygroundApp from './PlaygroundApp.vue';
import VegaFigure from './VegaFigure.vue';
import './custom.css';

const theme: Theme = {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('VegaFigure', VegaFigure);
    app.component('PlaygroundApp', PlaygroundApp);
  },
};

export default theme;
