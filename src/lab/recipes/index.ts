/** Runs handed to PyTorch's torchrun: the recipe (train.py + recipe.json) written from a run or a form. */
export { RecipeService } from './recipes';
